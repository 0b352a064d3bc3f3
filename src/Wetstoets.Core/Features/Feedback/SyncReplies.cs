using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;
using Wetstoets.Questionnaires;

namespace Wetstoets.Features.Feedback;

public sealed record SyncedReplies(int Pages, int Responses, int Comments, int Quarantined, bool FullResync);

/// <summary>
/// Reads the replies folder of the shared mailbox from where the last sync stopped, page by page, and takes
/// each tagged message in once: a workbook as the municipality's response, text alone as its comment, and
/// anything that cannot be trusted or read into quarantine with the reason. The position is saved after
/// every page, and a message's record commits with its effect, so an interrupted sync resumes without
/// losing or repeating anything. When the mailbox has forgotten the position, everything is read again and
/// the records keep what was taken from being taken twice.
/// </summary>
public sealed partial class SyncReplies(WetstoetsDbContext db, SubmitResponse intake, TimeProvider clock, IReplyMailbox? configured = null)
{
    /// <summary>Whether replies come from a mailbox at all (<c>M365:Mailbox</c>); without one there is nothing to sync.</summary>
    public bool HasMailbox => configured is not null;

    private IReplyMailbox Mailbox => configured ?? throw new InvalidOperationException("M365:Mailbox is not set: there is no mailbox to read replies from");

    /// <summary>A reply's subject keeps the invitation's tag: <c>[WT-2026-0001/GM0363]</c>, after any "RE:" or "Antw:".</summary>
    [GeneratedRegex(@"\[(?<review>[A-Z]{2}-\d{4}-\d{4,})/(?<code>GM\d{4})\]", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    public async Task<SyncedReplies> ExecuteAsync(CancellationToken ct)
    {
        var link = await db.MailboxCursors.AsNoTracking().Where(c => c.Key == Mailbox.Key).Select(c => c.Link).SingleOrDefaultAsync(ct);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var (pages, fullResync) = (0, false);
        while (true)
        {
            MailboxPage page;
            try
            {
                page = await Mailbox.ReadPageAsync(link, ct);
            }
            catch (SyncStateExpiredException) when (link is not null)
            {
                link = null;
                fullResync = true;
                continue;
            }
            pages++;
            foreach (var entry in page.Messages.Where(m => Tag().IsMatch(m.Subject)))
            {
                if (await TakeInAsync(entry, ct) is { } outcome)
                {
                    counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
                }
            }
            link = page.NextLink ?? page.DeltaLink;
            await SavePositionAsync(link, ct);
            if (page.NextLink is null)
            {
                return new SyncedReplies(pages, counts.GetValueOrDefault(ReplyOutcome.Response), counts.GetValueOrDefault(ReplyOutcome.Comment),
                    counts.GetValueOrDefault(ReplyOutcome.Quarantined), fullResync);
            }
        }
    }

    /// <summary>Keeps where the sync stands, read afresh: an intake that had to start again clears what this context tracks.</summary>
    private async Task SavePositionAsync(string? link, CancellationToken ct)
    {
        var cursor = await db.MailboxCursors.SingleOrDefaultAsync(c => c.Key == Mailbox.Key, ct);
        if (cursor is null)
        {
            cursor = new MailboxCursor { Key = Mailbox.Key };
            db.MailboxCursors.Add(cursor);
        }
        cursor.Link = link;
        cursor.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Takes one tagged message in; null when it was taken in before.</summary>
    private async Task<string?> TakeInAsync(MailboxEntry entry, CancellationToken ct)
    {
        if (await db.InboundReplies.AnyAsync(r => r.MessageId == entry.MessageId, ct))
        {
            return null;
        }
        var mail = await Mailbox.FetchAsync(entry.MessageId, ct);
        var tag = Tag().Match(mail.Subject);
        var (reviewId, code) = (tag.Groups["review"].Value, tag.Groups["code"].Value);
        var reply = new InboundReply
        {
            MessageId = mail.MessageId, ReviewId = reviewId, MunicipalityCode = code, FromAddress = mail.FromAddress,
            Subject = mail.Subject, ReceivedAt = mail.ReceivedAt, ProcessedAt = clock.GetUtcNow(), Outcome = ReplyOutcome.Quarantined,
            Text = string.IsNullOrWhiteSpace(mail.Text) ? null : mail.Text.Trim(),
        };
        var workbook = mail.Attachments.FirstOrDefault(a => a.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase));
        reply.AttachmentName = workbook?.FileName;
        if (!await SenderMayAnswerForAsync(mail.FromAddress, code, ct))
        {
            return await QuarantineAsync(reply, workbook, $"afzender {mail.FromAddress} is geen contactpersoon van {code} en valt niet onder de maildomeinen van {code}", ct);
        }
        if (workbook is null)
        {
            reply.Outcome = ReplyOutcome.Comment;
            db.InboundReplies.Add(reply);
            db.Audit.Add(new AuditEntry { At = reply.ProcessedAt, Actor = "mail", Action = "reply-comment", Subject = reviewId, Details = $"{code}: {mail.MessageId}" });
            await db.SaveChangesAsync(ct);
            return reply.Outcome;
        }
        var read = WorkbookReader.Read(workbook.FileName, workbook.Content);
        if (!read.IsSuccess)
        {
            return await QuarantineAsync(reply, workbook, string.Join("; ", read.Problems.Select(p => p.Message)), ct);
        }
        var filled = read.Value!;
        reply.Round = filled.Round;
        if (filled.ReviewId != reviewId || !string.Equals(filled.MunicipalityCode, code, StringComparison.OrdinalIgnoreCase))
        {
            return await QuarantineAsync(reply, workbook, $"het werkboek hoort bij {filled.ReviewId}/{filled.MunicipalityCode}, de mail bij {reviewId}/{code}", ct);
        }
        var currentRound = await db.Reviews.AsNoTracking().Where(r => r.Id == reviewId).Select(r => (int?)r.CurrentRound).SingleOrDefaultAsync(ct);
        if (currentRound != filled.Round)
        {
            return await QuarantineAsync(reply, workbook, currentRound is null
                ? $"toets {reviewId} bestaat niet"
                : $"het werkboek is van ronde {filled.Round}; {reviewId} is in ronde {currentRound}", ct);
        }
        var submitted = await intake.ExecuteAsync(reviewId, filled.Submission with { MunicipalityCode = code }, "mail", mail.FromAddress, mail.ReceivedAt, ct,
            alongside: (context, revision) =>
            {
                reply.Outcome = ReplyOutcome.Response;
                reply.ResponseRevision = revision;
                context.InboundReplies.Add(reply);
            });
        if (!submitted.IsSuccess)
        {
            // Refused before anything was added: the reply is quarantined instead.
            return await QuarantineAsync(reply, workbook, string.Join("; ", submitted.Problems.Select(p => p.Message)), ct);
        }
        return ReplyOutcome.Response;
    }

    private async Task<string> QuarantineAsync(InboundReply reply, MailAttachment? workbook, string reason, CancellationToken ct)
    {
        reply.Outcome = ReplyOutcome.Quarantined;
        reply.Reason = reason;
        reply.ResponseRevision = null;
        // Kept for the ministry's decision, unless it is over the limit: then it could never be accepted anyway.
        reply.Attachment = workbook is { Content.LongLength: <= WorkbookReader.MaxBytes } ? workbook.Content : null;
        db.InboundReplies.Add(reply);
        db.Audit.Add(new AuditEntry { At = reply.ProcessedAt, Actor = "mail", Action = "reply-quarantined", Subject = reply.ReviewId ?? "", Details = $"{reply.MunicipalityCode}: {reason}" });
        await db.SaveChangesAsync(ct);
        return reply.Outcome;
    }

    /// <summary>A contact of one of the municipality's panel seats, or an address in one of its mail domains.</summary>
    private async Task<bool> SenderMayAnswerForAsync(string address, string code, CancellationToken ct)
    {
        var members = await db.PanelMembers.AsNoTracking().Where(m => m.MunicipalityCode == code)
            .Select(m => new { m.MailDomains, Contacts = db.Contacts.Where(c => c.PanelMemberId == m.Id).Select(c => c.Email).ToList() })
            .ToListAsync(ct);
        var domain = address[(address.LastIndexOf('@') + 1)..];
        return members.Any(m => m.Contacts.Contains(address, StringComparer.OrdinalIgnoreCase)
            || m.MailDomains.Contains(domain, StringComparer.OrdinalIgnoreCase));
    }
}
