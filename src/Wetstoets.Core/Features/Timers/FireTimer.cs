using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Workflows;

namespace Wetstoets.Features.Timers;

/// <summary>
/// What a Quartz trigger calls. Safe to call any number of times: a timer already fired or cancelled, or one
/// the review no longer waits for, has no effect.
/// </summary>
public sealed class FireTimer(WetstoetsDbContext db, WorkflowRunner runner)
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
            return await runner.RunAsync(timer.ReviewId, new Signal(Signal.Timer, TimerId: timerId), Actor, ct);
        }
        // Fired before. When the node that fired it died after the timer's step committed but before the review
        // reached its next wait, the cluster hands the trigger to another node: that one carries the review on.
        return await db.Reviews.AnyAsync(r => r.Id == timer.ReviewId && r.State == ReviewState.Running, ct)
            ? await runner.RunAsync(timer.ReviewId, null, Actor, ct)
            : RunOutcome.Ignored;
    }
}
