using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Questionnaires;

namespace Wetstoets.Features.Feedback;

public sealed record DecidedReply(int Id, string Decision, SubmittedResponse? Response);

/// <summary>
/// The ministry's decision on a quarantined reply (SPEC.md §6): <c>accept</c> takes its workbook as the
/// tagged municipality's response when the answers are valid, received when the mail arrived, and says what
/// is invalid otherwise; <c>reject</c> keeps the reply, marked rejected. A reply is decided once.
/// </summary>
public sealed class DecideReply(WetstoetsDbContext db, SubmitResponse intake, TimeProvider clock)
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";

    public async Task<Result<DecidedReply>> AcceptAsync(int id, string actor, CancellationToken ct)
    {
        var found = await UndecidedAsync(id, ct);
        if (!found.IsSuccess)
        {
            return Result<DecidedReply>.Fail(found.Problems);
        }
        var reply = found.Value!;
        if (reply.Attachment is null || reply.ReviewId is null || reply.MunicipalityCode is null)
        {
            return Result<DecidedReply>.Fail($"quarantined reply {id} has no workbook that could be taken in ({reply.Reason}); reject it, or take the answers in by hand with 'feedback submit'");
        }
        var read = WorkbookReader.Read(reply.AttachmentName ?? "workbook.xlsx", reply.Attachment);
        if (!read.IsSuccess)
        {
            return Result<DecidedReply>.Fail(read.Problems);
        }
        // The ministry vouches for the sender and the workbook's origin; the answers must still be valid.
        var submission = read.Value!.Submission with { MunicipalityCode = reply.MunicipalityCode };
        var submitted = await intake.ExecuteAsync(reply.ReviewId, submission, "mail", reply.FromAddress, reply.ReceivedAt, ct,
            alongside: (context, revision) =>
            {
                var tracked = context.InboundReplies.Attach(reply).Entity;
                Decide(tracked, Accepted, actor);
                tracked.ResponseRevision = revision;
                context.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "reply-accepted", Subject = reply.ReviewId, Details = $"quarantine {id}: {reply.MunicipalityCode} revision {revision}" });
            });
        return submitted.IsSuccess
            ? Result<DecidedReply>.Ok(new DecidedReply(id, Accepted, submitted.Value), submitted.Warnings)
            : Result<DecidedReply>.Fail(submitted.Problems);
    }

    public async Task<Result<DecidedReply>> RejectAsync(int id, string actor, CancellationToken ct)
    {
        var found = await UndecidedAsync(id, ct);
        if (!found.IsSuccess)
        {
            return Result<DecidedReply>.Fail(found.Problems);
        }
        var reply = db.InboundReplies.Attach(found.Value!).Entity;
        Decide(reply, Rejected, actor);
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "reply-rejected", Subject = reply.ReviewId ?? "", Details = $"quarantine {id}: {reply.MunicipalityCode}" });
        await db.SaveChangesAsync(ct);
        return Result<DecidedReply>.Ok(new DecidedReply(id, Rejected, null));
    }

    private void Decide(InboundReply reply, string decision, string actor)
    {
        reply.Decision = decision;
        reply.DecidedAt = clock.GetUtcNow();
        reply.DecidedBy = actor;
    }

    private async Task<Result<InboundReply>> UndecidedAsync(int id, CancellationToken ct)
    {
        var reply = await db.InboundReplies.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.Outcome == ReplyOutcome.Quarantined, ct);
        return reply switch
        {
            null => Problem.NotFound($"no quarantined reply {id}"),
            { Decision: { } decision } => Result<InboundReply>.Fail($"quarantined reply {id} was {decision} at {reply.DecidedAt:yyyy-MM-dd HH:mm} by {reply.DecidedBy}"),
            _ => Result<InboundReply>.Ok(reply),
        };
    }
}
