using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Mail;
using Wetstoets.Security;

namespace Wetstoets.Workflows.Steps;

/// <summary>
/// Opens the round of the newest draft version: freezes each municipality's name and size class, creates one
/// invitation with a personal token per contact, and queues the invitation mails.
/// </summary>
public sealed class InviteStep(InvitationMail mail) : IStepHandler
{
    public string Type => StepTypes.Invite;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        var db = context.Db;
        var review = context.Review;
        var draft = await db.Drafts.Where(d => d.ReviewId == review.Id).OrderByDescending(d => d.Version).FirstAsync(ct);
        if (await db.Rounds.AnyAsync(r => r.ReviewId == review.Id && r.Number == draft.Version, ct))
        {
            return new StepResult.Continue();
        }
        var settings = context.Settings<InviteSettings>();
        var round = new Round
        {
            ReviewId = review.Id,
            Number = draft.Version,
            DraftVersion = draft.Version,
            OpenedAt = context.Now,
            Deadline = draft.Deadline is { } fixedDeadline && fixedDeadline > context.Now ? fixedDeadline : context.Now + settings.Window,
        };
        db.Rounds.Add(round);
        review.CurrentRound = round.Number;

        var members = await db.PanelMembers.AsNoTracking().Include(m => m.Contacts)
            .Where(m => review.Panels.Contains(m.PanelId)).ToListAsync(ct);
        var codes = members.Select(m => m.MunicipalityCode).Distinct().ToList();
        var municipalities = await db.Municipalities.AsNoTracking().Where(m => codes.Contains(m.Code)).ToDictionaryAsync(m => m.Code, ct);
        foreach (var code in codes.Order(StringComparer.Ordinal))
        {
            var municipality = municipalities[code];
            db.Participants.Add(new RoundParticipant
            {
                ReviewId = review.Id, Round = round.Number, MunicipalityCode = code,
                MunicipalityName = municipality.Name, SizeClass = municipality.SizeClass,
            });
            // A contact may sit in several panels for the same municipality: one invitation each.
            var contacts = members.Where(m => m.MunicipalityCode == code).SelectMany(m => m.Contacts)
                .DistinctBy(c => c.Email.ToLowerInvariant()).ToList();
            var sequence = 0;
            foreach (var contact in contacts)
            {
                var salt = TokenService.NewSalt();
                var invitation = new Invitation
                {
                    ReviewId = review.Id, Round = round.Number, MunicipalityCode = code, ContactId = contact.Id,
                    ContactName = contact.Name, ContactEmail = contact.Email, TokenSalt = salt, TokenHash = "", CreatedAt = context.Now,
                };
                invitation.TokenHash = mail.HashFor(invitation);
                db.Invitations.Add(invitation);
                mail.Queue(context, invitation, municipality.Name, draft, round, settings.Template, 0, ++sequence);
            }
        }
        context.Audit("round-opened", $"round {round.Number}, deadline {round.Deadline:O}, {codes.Count} municipalities");
        return new StepResult.Continue();
    }
}
