using Microsoft.EntityFrameworkCore;
using Wetstoets.Persistence;
using Wetstoets.Domain;
using Wetstoets.Ports;
using Wetstoets.Questionnaires;
using Wetstoets.Workflows;

namespace Wetstoets.Mail;

/// <summary>
/// Sends the durable outgoing queue. A mail is marked sent (and its body, with the personal link, erased)
/// only after the sender accepted it, so a crash in between sends it again rather than never.
/// </summary>
public sealed class MailDispatcher(WetstoetsDbContext db, IMailSender sender, TimeProvider clock)
{
    private const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task<int> DispatchPendingAsync(string? reviewId, CancellationToken ct)
    {
        var pending = await db.OutgoingMails
            .Where(m => m.SentAt == null && (reviewId == null || m.ReviewId == reviewId))
            .OrderBy(m => m.Id).ToListAsync(ct);
        var rounds = new Dictionary<(string, int), (Questionnaire, IReadOnlyList<DraftChange>)>();
        foreach (var mail in pending)
        {
            // The workbook is made when the mail leaves, not stored with it: it follows from the round.
            var (questionnaire, changes) = await WorkbookSourceAsync(mail.ReviewId, mail.Round, rounds, ct);
            var workbook = new MailAttachment(QuestionnaireWorkbook.FileName(mail.ReviewId, mail.MunicipalityCode), XlsxContentType,
                QuestionnaireWorkbook.Create(questionnaire, changes, mail.ReviewId, mail.MunicipalityCode, mail.Round));
            await sender.SendAsync(new MailMessage(
                mail.ReviewId, mail.Round, mail.MunicipalityCode, mail.Sequence, mail.ToName, mail.ToAddress,
                mail.Subject, mail.HtmlBody ?? "", mail.TextBody ?? "", [workbook]), ct);
            mail.SentAt = clock.GetUtcNow();
            mail.HtmlBody = null;
            mail.TextBody = null;
            await db.SaveChangesAsync(ct);
        }
        return pending.Count;
    }

    /// <summary>The questionnaire of the review's workflow version and the changes of the round's draft.</summary>
    private async Task<(Questionnaire, IReadOnlyList<DraftChange>)> WorkbookSourceAsync(
        string reviewId, int round, Dictionary<(string, int), (Questionnaire, IReadOnlyList<DraftChange>)> cache, CancellationToken ct)
    {
        if (cache.TryGetValue((reviewId, round), out var known))
        {
            return known;
        }
        var review = await db.Reviews.AsNoTracking().SingleAsync(r => r.Id == reviewId, ct);
        var draftVersion = await db.Rounds.AsNoTracking().Where(r => r.ReviewId == reviewId && r.Number == round).Select(r => r.DraftVersion).SingleAsync(ct);
        var draft = await db.Drafts.AsNoTracking().SingleAsync(d => d.ReviewId == reviewId && d.Version == draftVersion, ct);
        var definition = await DefinitionStore.LoadAsync(db, review.WorkflowId, review.WorkflowVersion, ct);
        return cache[(reviewId, round)] = (definition.Questionnaire, draft.Changes);
    }
}
