using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Wetstoets.Domain;
using Wetstoets.Mail;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Workflows;

public enum RunOutcome
{
    /// <summary>The review advanced and now waits, or finished.</summary>
    Advanced,
    /// <summary>The signal did not match what the review waits for (a duplicate or stale trigger): nothing changed.</summary>
    Ignored,
    /// <summary>A step failed; the review is marked failed with the error.</summary>
    Failed,
}

/// <summary>
/// Interprets a review's workflow definition: executes steps from the current one until a step waits or the
/// workflow ends. Each step's effects and the instance's new state are committed in one transaction, so a
/// crash leaves the review before or after a step, never inside one; the review's revision makes two
/// processes that advance the same review at once conflict, and the loser starts again from the new state.
/// </summary>
public sealed class WorkflowRunner(
    WetstoetsDbContext db,
    IEnumerable<IStepHandler> handlers,
    ITimerScheduler timers,
    MailDispatcher mail,
    TimeProvider clock,
    ILogger<WorkflowRunner> logger)
{
    private readonly Dictionary<string, IStepHandler> _handlers = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);

    // withSignal: changes that belong to the signal (the revised draft of a decision) and must commit with the
    // first step; applied again on every attempt, so a conflict with another process cannot lose them.
    public async Task<RunOutcome> RunAsync(string reviewId, Signal? signal, string actor, CancellationToken ct, Action<WetstoetsDbContext>? withSignal = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(reviewId, signal, actor, withSignal, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // Another process advanced the review first: start again from what it committed.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<RunOutcome> RunOnceAsync(string reviewId, Signal? signal, string actor, Action<WetstoetsDbContext>? withSignal, CancellationToken ct)
    {
        var review = await db.Reviews.SingleAsync(r => r.Id == reviewId, ct);
        if (!Accepts(review, signal) || signal?.TimerId is { } timerId && !await IsPendingAsync(timerId, ct))
        {
            return RunOutcome.Ignored;
        }
        withSignal?.Invoke(db);
        var definition = await DefinitionStore.LoadAsync(db, review.WorkflowId, review.WorkflowVersion, ct);
        var produced = new RunProducts();
        while (true)
        {
            var step = definition.Workflow.Step(review.CurrentStepId);
            var context = new StepContext(db, review, step, definition, signal, clock.GetUtcNow(), actor, produced);
            StepResult result;
            try
            {
                result = await _handlers[step.Type].ExecuteAsync(context, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not DbUpdateConcurrencyException)
            {
                await MarkFailedAsync(reviewId, step, e, actor, ct);
                return RunOutcome.Failed;
            }
            var revision = review.Revision;
            Apply(review, step, result, context);
            var mailQueued = db.ChangeTracker.Entries<OutgoingMail>().Any(e => e.State == EntityState.Added);
            await CommitAsync(reviewId, revision, ct);
            await AfterCommitAsync(context, mailQueued, ct);
            signal = null;
            if (result is not StepResult.Continue)
            {
                return RunOutcome.Advanced;
            }
        }
    }

    /// <summary>
    /// Commits a step. When another process advanced the review meanwhile, the database may refuse the step's
    /// rows before it gets to the review's revision (PostgreSQL reports the duplicate assessment first): that
    /// is the same conflict, and the caller starts again from what the other process committed.
    /// </summary>
    private async Task CommitAsync(string reviewId, int revision, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            var current = await db.Reviews.AsNoTracking().Where(r => r.Id == reviewId).Select(r => r.Revision).SingleAsync(ct);
            if (current != revision)
            {
                throw new DbUpdateConcurrencyException($"review {reviewId} was advanced by another process", e);
            }
            throw;
        }
    }

    private static bool Accepts(Review review, Signal? signal) => review.State switch
    {
        ReviewState.Closed => false,
        ReviewState.Failed => false,
        ReviewState.Running => signal is null,
        ReviewState.Waiting => signal is not null && (signal.Bookmark == review.WaitingFor
            || signal.Bookmark == Signal.Timer && review.WaitingFor == Bookmarks.Deadline),
        _ => false,
    };

    private async Task<bool> IsPendingAsync(string timerId, CancellationToken ct) =>
        await db.Timers.AnyAsync(t => t.Id == timerId && t.FiredAt == null && t.CancelledAt == null, ct);

    private void Apply(Review review, StepDefinition step, StepResult result, StepContext context)
    {
        var outcome = result switch
        {
            StepResult.Continue c => c.Outcome ?? "next",
            StepResult.Wait w => "wait:" + w.Bookmark,
            _ => "end",
        };
        db.History.Add(new StepRecord
        {
            ReviewId = review.Id, Round = review.CurrentRound, StepId = step.Id, StepType = step.Type,
            Outcome = outcome, Trigger = context.Signal?.TimerId ?? context.Signal?.Bookmark, At = context.Now,
        });
        switch (result)
        {
            case StepResult.Continue c:
                review.CurrentStepId = c.Outcome is null ? step.Next! : step.On[c.Outcome];
                review.State = ReviewState.Running;
                review.WaitingFor = null;
                break;
            case StepResult.Wait w:
                review.State = ReviewState.Waiting;
                review.WaitingFor = w.Bookmark;
                break;
            default:
                review.State = ReviewState.Closed;
                review.WaitingFor = null;
                break;
        }
        review.LastError = null;
        review.UpdatedAt = context.Now;
        review.Revision++;
    }

    /// <summary>
    /// Arms timers and sends the mail the step queued after the step committed. A failure here does not undo
    /// the step: pending timers are armed again when a worker starts, and the worker sends the mail queue until
    /// it is empty.
    /// </summary>
    private async Task AfterCommitAsync(StepContext context, bool mailQueued, CancellationToken ct)
    {
        try
        {
            if (context.TimersToDisarm.Count > 0)
            {
                await timers.UnscheduleAsync(context.TimersToDisarm, ct);
            }
            if (context.TimersToArm.Count > 0)
            {
                await timers.ScheduleAsync(context.TimersToArm, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Timers of review {Review} not armed yet; the worker arms them at its next start", context.Review.Id);
        }
        if (!mailQueued)
        {
            return;
        }
        try
        {
            await mail.DispatchPendingAsync(context.Review.Id, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Mail of review {Review} stays queued; the worker sends it", context.Review.Id);
        }
    }

    private async Task MarkFailedAsync(string reviewId, StepDefinition step, Exception error, string actor, CancellationToken ct)
    {
        logger.LogError(error, "Step {Step} of review {Review} failed", step.Id, reviewId);
        db.ChangeTracker.Clear();
        var review = await db.Reviews.SingleAsync(r => r.Id == reviewId, ct);
        review.State = ReviewState.Failed;
        review.LastError = $"step '{step.Id}' ({step.Type}): {error.Message}";
        review.UpdatedAt = clock.GetUtcNow();
        review.Revision++;
        db.Audit.Add(new AuditEntry { At = review.UpdatedAt, Actor = actor, Action = "step-failed", Subject = reviewId, Details = review.LastError });
        await db.SaveChangesAsync(ct);
    }
}

public static class Bookmarks
{
    public const string Deadline = "deadline";
    public const string Decision = "decision";
}
