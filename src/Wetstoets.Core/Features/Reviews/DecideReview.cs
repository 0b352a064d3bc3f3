using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Drafts;
using Wetstoets.Persistence;
using Wetstoets.Workflows;

namespace Wetstoets.Features.Reviews;

/// <summary>
/// The ministry's decision on a published report: <c>revise</c> adds the next draft version and runs the next
/// round with the same panels; <c>close</c> accepts the last report and ends the review.
/// </summary>
public sealed class DecideReview(WetstoetsDbContext db, WorkflowRunner runner, TimeProvider clock)
{
    public async Task<Result<int>> ReviseAsync(string reviewId, string draftPath, string draftYaml, string actor, CancellationToken ct)
    {
        var read = DraftReader.Read(draftPath, draftYaml);
        if (!read.IsSuccess)
        {
            return Result<int>.Fail(read.Problems);
        }
        var review = await db.Reviews.SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (WaitingForDecision(review, reviewId) is { } problem)
        {
            return problem;
        }
        var draft = read.Value!.Draft;
        if (draft.LawId != review!.LawId)
        {
            return Result<int>.Fail($"{draftPath}: the revised draft is about law '{draft.LawId}', the review about '{review.LawId}'");
        }
        var now = clock.GetUtcNow();
        if (draft.Deadline is { } deadline && deadline <= now)
        {
            return Result<int>.Fail($"{draftPath}: the deadline {deadline:O} has passed");
        }
        var version = 1 + await db.Drafts.Where(d => d.ReviewId == reviewId).MaxAsync(d => d.Version, ct);
        // The draft commits with the decision's transition, in the runner's first step.
        var outcome = await runner.RunAsync(reviewId, new Signal(Signal.Decision, "herzien"), actor, ct, context =>
        {
            context.Drafts.Add(Copy(draft, reviewId, version, now));
            context.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "draft-revised", Subject = reviewId, Details = $"v{version}: {draft.Title}" });
        });
        return Outcome(review, outcome, version);
    }

    public async Task<Result<int>> CloseAsync(string reviewId, string actor, CancellationToken ct)
    {
        var review = await db.Reviews.SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (WaitingForDecision(review, reviewId) is { } problem)
        {
            return problem;
        }
        var now = clock.GetUtcNow();
        var round = review!.CurrentRound;
        var outcome = await runner.RunAsync(reviewId, new Signal(Signal.Decision, "sluiten"), actor, ct, context =>
            context.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "report-accepted", Subject = reviewId, Details = $"round {round}" }));
        return Outcome(review, outcome, round);
    }

    private static Draft Copy(Draft draft, string reviewId, int version, DateTimeOffset now) => new()
    {
        ReviewId = reviewId, Version = version, CreatedAt = now, Title = draft.Title, LawId = draft.LawId, LawName = draft.LawName,
        Bwb = draft.Bwb, Domains = [.. draft.Domains], Summary = draft.Summary, Changes = [.. draft.Changes],
        Assumptions = [.. draft.Assumptions], Panels = [.. draft.Panels], Deadline = draft.Deadline,
    };

    private static Problem? WaitingForDecision(Review? review, string reviewId) => review switch
    {
        null => Problem.NotFound($"unknown review '{reviewId}'"),
        { State: ReviewState.Waiting, WaitingFor: Bookmarks.Decision } => null,
        { State: ReviewState.Closed } => new Problem($"{reviewId} is closed"),
        _ => new Problem($"{reviewId} is not waiting for a decision: it is {review.State.ToString().ToLowerInvariant()} at step '{review.CurrentStepId}' (round {review.CurrentRound} must be closed and its report published first)"),
    };

    private static Result<int> Outcome(Review review, RunOutcome outcome, int value) => outcome switch
    {
        RunOutcome.Advanced => Result<int>.Ok(value),
        RunOutcome.Failed => Result<int>.Fail($"{review.Id}: a step failed: see 'wetstoets review status {review.Id}'"),
        _ => Result<int>.Fail($"{review.Id} was changed by another process at the same moment; try again"),
    };
}
