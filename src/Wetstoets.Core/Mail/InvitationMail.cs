using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Hosting;
using Wetstoets.Reports;
using Wetstoets.Security;
using Wetstoets.Workflows;

namespace Wetstoets.Mail;

/// <summary>What the invitation and reminder templates receive (documented in templates/README.md).</summary>
public sealed record InvitationMailModel(
    string ReviewId,
    int Round,
    string Title,
    string LawName,
    string MunicipalityCode,
    string MunicipalityName,
    string ContactName,
    string Link,
    DateTimeOffset Deadline,
    string Summary,
    IReadOnlyList<DraftChange> Changes,
    bool IsDemo,
    int ReminderNumber);

/// <summary>Renders invitations and reminders from the templates and puts them in the outgoing queue.</summary>
public sealed class InvitationMail(TemplateRenderer templates, TokenService tokens, WebOptions web)
{
    public const string Invitation = "invitation";
    public const string Reminder = "reminder";

    public string HashFor(Invitation invitation) => TokenService.Hash(tokens.TokenFor(invitation.TokenSalt));

    /// <summary>How many mails each municipality of a round was sent so far: the next mail's n is one more.</summary>
    public static Task<Dictionary<string, int>> MailCountsAsync(StepContext context, Round round, CancellationToken ct) =>
        context.Db.OutgoingMails.Where(m => m.ReviewId == round.ReviewId && m.Round == round.Number)
            .GroupBy(m => m.MunicipalityCode).ToDictionaryAsync(g => g.Key, g => g.Count(), ct);

    // sequence: the n of <code>-<n>.eml, counting the mails to this municipality in this round.
    public void Queue(StepContext context, Invitation invitation, string municipalityName,
        Draft draft, Round round, string template, int reminderNumber, int sequence)
    {
        var model = new InvitationMailModel(
            context.Review.Id, round.Number, draft.Title, draft.LawName ?? draft.LawId, invitation.MunicipalityCode,
            municipalityName, invitation.ContactName, $"{web.PublicBaseUrl.TrimEnd('/')}/t/{tokens.TokenFor(invitation.TokenSalt)}",
            round.Deadline, draft.Summary, draft.Changes, context.Review.IsDemo, reminderNumber);
        var prefix = reminderNumber == 0 ? "Uitnodiging" : "Herinnering";
        context.Db.OutgoingMails.Add(new OutgoingMail
        {
            ReviewId = context.Review.Id,
            Round = round.Number,
            MunicipalityCode = invitation.MunicipalityCode,
            Sequence = sequence,
            Kind = reminderNumber == 0 ? Invitation : Reminder,
            ToName = invitation.ContactName,
            ToAddress = invitation.ContactEmail,
            Subject = $"{prefix}: {draft.Title} [{context.Review.Id}/{invitation.MunicipalityCode}]",
            HtmlBody = templates.Render(template + ".html.sbn", model),
            TextBody = templates.Render(template + ".txt.sbn", model),
            QueuedAt = context.Now,
        });
    }
}
