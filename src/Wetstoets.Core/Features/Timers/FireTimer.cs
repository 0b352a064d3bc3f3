using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;
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
        if (timer is null || !timer.IsPending)
        {
            return RunOutcome.Ignored;
        }
        return await runner.RunAsync(timer.ReviewId, new Signal(Signal.Timer, TimerId: timerId), Actor, ct);
    }
}

/// <summary>
/// Runs when a worker starts: arms every pending timer again (a crash between a step's commit and arming its
/// trigger loses nothing) and resumes reviews left in the middle of a step.
/// </summary>
public sealed class RecoverReviews(WetstoetsDbContext db, ITimerScheduler timers, WorkflowRunner runner, ILogger<RecoverReviews> logger)
{
    public async Task<(int Timers, int Reviews)> ExecuteAsync(CancellationToken ct)
    {
        var pending = await db.Timers.AsNoTracking().Where(t => t.FiredAt == null && t.CancelledAt == null).ToListAsync(ct);
        await timers.ScheduleAsync(pending, ct);
        var running = await db.Reviews.AsNoTracking().Where(r => r.State == ReviewState.Running).Select(r => r.Id).ToListAsync(ct);
        foreach (var id in running)
        {
            try
            {
                await runner.RunAsync(id, null, FireTimer.Actor, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One review that cannot continue must not keep the worker from serving all the others.
                logger.LogError(e, "Review {Review} could not be resumed", id);
            }
            db.ChangeTracker.Clear();
        }
        return (pending.Count, running.Count);
    }
}
