using Microsoft.EntityFrameworkCore;
using Wetstoets.Persistence;
using Wetstoets.Domain;
using Wetstoets.Ports;
using Wetstoets.Questionnaires;
using Wetstoets.Workflows;

namespace Wetstoets.Mail;

/// <summary>
/// Sends the durable outgoing queue, oldest first. A mail is marked sent (and its body, with the personal
/// link, erased) only after the sender accepted it, so a crash in between sends it again rather than never.
/// A sender with a rate (Microsoft 365) gets no more mails in any minute than it allows: what is over stays
/// queued for the worker's next round. For a channel where a mail sent twice would arrive twice, the attempt
/// is recorded first, and a mail whose attempt was interrupted is looked up before it is sent again.
/// </summary>
public sealed class MailDispatcher(WetstoetsDbContext db, IMailSender sender, ISendLock sendLock, TimeProvider clock)
{
    private const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);


    /// <summary>Sends what is queued (for one review, or all); returns how many mails left.</summary>
    public async Task<int> DispatchPendingAsync(string? reviewId, CancellationToken ct)
    {
        if (sender.MessagesPerMinute is not { } rate)
        {
            return await SendAsync(reviewId, int.MaxValue, ct);
        }
        // The mails sent in the last minute are counted and the next ones sent under one lock across processes,
        // so two workers (or a command and the worker) cannot both spend the same minute's allowance.
        await using var turn = await sendLock.AcquireAsync(ct);
        var since = clock.GetUtcNow() - Minute;
        var sentLastMinute = await db.OutgoingMails.CountAsync(m => m.SentAt > since, ct);
        return rate > sentLastMinute ? await SendAsync(reviewId, rate - sentLastMinute, ct) : 0;
    }

    private async Task<int> SendAsync(string? reviewId, int atMost, CancellationToken ct)
    {
        var pending = await db.OutgoingMails
            .Where(m => m.SentAt == null && (reviewId == null || m.ReviewId == reviewId))
            .OrderBy(m => m.Id).Take(atMost).ToListAsync(ct);
        var rounds = new Dictionary<(string, int), (Questionnaire, IReadOnlyList<DraftChange>)>();
        foreach (var mail in pending)
        {
            // The workbook is made when the mail leaves, not stored with it: it follows from the round.
            var (questionnaire, changes) = await WorkbookSourceAsync(mail.ReviewId, mail.Round, rounds, ct);
            var workbook = new MailAttachment(QuestionnaireWorkbook.FileName(mail.ReviewId, mail.MunicipalityCode), XlsxContentType,
                QuestionnaireWorkbook.Create(questionnaire, changes, mail.ReviewId, mail.MunicipalityCode, mail.Round));
            var message = new MailMessage(
                mail.ReviewId, mail.Round, mail.MunicipalityCode, mail.Sequence, mail.ToName, mail.ToAddress,
                mail.Subject, mail.HtmlBody ?? "", mail.TextBody ?? "", [workbook]);
            if (sender.RecognisesResends)
            {
                // An earlier attempt may have got through before the process died: ask before sending again.
                if (mail.SendingAt is null || !await sender.WasSentAsync(message, ct))
                {
                    mail.SendingAt = clock.GetUtcNow();
                    await db.SaveChangesAsync(ct);
                    await sender.SendAsync(message, ct);
                }
            }
            else
            {
                await sender.SendAsync(message, ct);
            }
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
