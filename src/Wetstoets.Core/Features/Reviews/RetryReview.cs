using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Workflows;

namespace Wetstoets.Features.Reviews;

/// <summary>Runs a failed step again (after the cause, e.g. an unreachable repository, was mended).</summary>
public sealed class RetryReview(WetstoetsDbContext db, WorkflowRunner runner, TimeProvider clock)
{
    public async Task<Result<RunOutcome>> ExecuteAsync(string reviewId, string actor, CancellationToken ct)
    {
        var review = await db.Reviews.SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return Problem.NotFound($"unknown review '{reviewId}'");
        }
        if (review.State is not (ReviewState.Failed or ReviewState.Running))
        {
            return Result<RunOutcome>.Fail($"{reviewId} has no failed step: it is {review.State.ToString().ToLowerInvariant()} at '{review.CurrentStepId}'");
        }
        review.State = ReviewState.Running;
        review.Revision++;
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "step-retried", Subject = reviewId, Details = $"{review.CurrentStepId}: {review.LastError}" });
        await db.SaveChangesAsync(ct);
        return Result<RunOutcome>.Ok(await runner.RunAsync(reviewId, null, actor, ct));
    }
}
