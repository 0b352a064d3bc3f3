using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;
using Wetstoets.Workflows;

namespace Wetstoets.Features.Timers;

/// <summary>
/// Recovery: arms every pending timer again (a crash between a step's commit and arming its trigger loses
/// nothing) and resumes reviews left in the middle of a run. At a worker's start everything running is
/// resumed; while workers run, only reviews that have not moved for a while, so a review another node is
/// advancing right now is left alone (and if it is not, the review's revision makes one of the two win).
/// </summary>
public sealed class RecoverReviews(WetstoetsDbContext db, ITimerScheduler timers, WorkflowRunner runner, TimeProvider clock, ILogger<RecoverReviews> logger)
{
    /// <summary>How long a review may stay in the middle of a run before a sweeping worker resumes it.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(1);

    public async Task<(int Timers, int Reviews)> ExecuteAsync(CancellationToken ct)
    {
        var pending = await db.Timers.AsNoTracking().Where(t => t.FiredAt == null && t.CancelledAt == null).ToListAsync(ct);
        await timers.ScheduleAsync(pending, ct);
        return (pending.Count, await ResumeAsync(null, ct));
    }

    /// <summary>
    /// The safety net of a running worker: arms again the timers still pending <see cref="StalledAfter"/>
    /// after they came due (their trigger was lost; firing twice has no second effect), and resumes reviews
    /// running without progress for as long. Returns how many of each.
    /// </summary>
    public async Task<(int Timers, int Reviews)> ResumeStalledAsync(CancellationToken ct)
    {
        var overdue = clock.GetUtcNow() - StalledAfter;
        var lost = (await db.Timers.AsNoTracking().Where(t => t.FiredAt == null && t.CancelledAt == null).ToListAsync(ct))
            .Where(t => t.DueAt < overdue).ToList();
        await timers.ScheduleAsync(lost, ct);
        return (lost.Count, await ResumeAsync(overdue, ct));
    }

    private async Task<int> ResumeAsync(DateTimeOffset? notMovedSince, CancellationToken ct)
    {
        var running = await db.Reviews.AsNoTracking().Where(r => r.State == ReviewState.Running)
            .Select(r => new { r.Id, r.UpdatedAt }).ToListAsync(ct);
        var ids = running.Where(r => notMovedSince is null || r.UpdatedAt < notMovedSince).Select(r => r.Id).ToList();
        foreach (var id in ids)
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
        return ids.Count;
    }
}
