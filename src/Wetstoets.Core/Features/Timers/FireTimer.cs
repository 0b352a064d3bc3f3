using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Features.Feedback;
using Wetstoets.Persistence;
using Wetstoets.Workflows;

namespace Wetstoets.Features.Timers;

/// <summary>
/// What a Quartz trigger calls. Safe to call any number of times: a timer already fired or cancelled, or one
/// the review no longer waits for, has no effect.
/// </summary>
public sealed class FireTimer(WetstoetsDbContext db, WorkflowRunner runner, SyncReplies replies)
{
    public const string Actor = "worker";

    public async Task<RunOutcome> ExecuteAsync(string timerId, CancellationToken ct)
    {
        var timer = await db.Timers.AsNoTracking().SingleOrDefaultAsync(t => t.Id == timerId, ct);
        if (timer is null)
        {
            return RunOutcome.Ignored;
        }
        if (timer.IsPending)
        {
            if (timer.Kind == TimerKind.Deadline && replies.HasMailbox)
            {
                // Replies in the mailbox first: one received before the deadline counts, however late it is read.
                // If the mailbox cannot be read the deadline waits (the trigger is retried) rather than lose them.
                await replies.ExecuteAsync(ct);
            }
            return await runner.RunAsync(timer.ReviewId, new Signal(Signal.Timer, TimerId: timerId), Actor, ct);
        }
        // Fired before. When the node that fired it died after the timer's step committed but before the review
        // reached its next wait, the cluster hands the trigger to another node: that one carries the review on.
        return await db.Reviews.AnyAsync(r => r.Id == timer.ReviewId && r.State == ReviewState.Running, ct)
            ? await runner.RunAsync(timer.ReviewId, null, Actor, ct)
            : RunOutcome.Ignored;
    }
}
