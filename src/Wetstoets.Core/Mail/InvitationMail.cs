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

    public async Task QueueAsync(StepContext context, Invitation invitation, string municipalityName,
        Draft draft, Round round, string template, int reminderNumber, CancellationToken ct)
    {
        var model = new InvitationMailModel(
            context.Review.Id, round.Number, draft.Title, draft.LawName ?? draft.LawId, invitation.MunicipalityCode,
            municipalityName, invitation.ContactName, $"{web.PublicBaseUrl.TrimEnd('/')}/t/{tokens.TokenFor(invitation.TokenSalt)}",
            round.Deadline, draft.Summary, draft.Changes, context.Review.IsDemo, reminderNumber);
        var sequence = 1 + await context.Db.OutgoingMails.CountAsync(
            m => m.ReviewId == context.Review.Id && m.Round == round.Number && m.MunicipalityCode == invitation.MunicipalityCode, ct)
            + context.Db.OutgoingMails.Local.Count(m => m.ReviewId == context.Review.Id && m.Round == round.Number
                && m.MunicipalityCode == invitation.MunicipalityCode && context.Db.Entry(m).State == EntityState.Added);
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
