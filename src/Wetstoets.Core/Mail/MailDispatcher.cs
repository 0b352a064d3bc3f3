using Microsoft.EntityFrameworkCore;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Mail;

/// <summary>
/// Sends the durable outgoing queue. A mail is marked sent (and its body, with the personal link, erased)
/// only after the sender accepted it, so a crash in between sends it again rather than never.
/// </summary>
public sealed class MailDispatcher(WetstoetsDbContext db, IMailSender sender, TimeProvider clock)
{
    public async Task<int> DispatchPendingAsync(string? reviewId, CancellationToken ct)
    {
        var pending = await db.OutgoingMails
            .Where(m => m.SentAt == null && (reviewId == null || m.ReviewId == reviewId))
            .OrderBy(m => m.Id).ToListAsync(ct);
        foreach (var mail in pending)
        {
            await sender.SendAsync(new MailMessage(
                mail.ReviewId, mail.Round, mail.MunicipalityCode, mail.Sequence, mail.ToName, mail.ToAddress,
                mail.Subject, mail.HtmlBody ?? "", mail.TextBody ?? "", []), ct);
            mail.SentAt = clock.GetUtcNow();
            mail.HtmlBody = null;
            mail.TextBody = null;
            await db.SaveChangesAsync(ct);
        }
        return pending.Count;
    }
}
