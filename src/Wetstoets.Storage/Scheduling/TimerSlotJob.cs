using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Wetstoets.Domain;
using Wetstoets.Features.Timers;
using Wetstoets.Persistence;

namespace Wetstoets.Storage.Scheduling;

/// <summary>
/// Fires the review timers of one <see cref="TimerSlot"/>, one after another. The job only says *when*;
/// <see cref="FireTimer"/> decides *whether*, in the database, so a slot fired twice (a recovered job of a dead
/// node, a replay, a slot armed again while it ran) fires each timer once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class TimerSlotJob : IJob
{
    /// <summary>The scheduler context entry holding the service provider the jobs resolve their use cases from.</summary>
    public const string ServicesKey = "services";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var slot = TimerSlot.Parse(context.JobDetail.Key.Name);
        var services = (IServiceProvider)context.Scheduler.Context[ServicesKey]!;
        try
        {
            foreach (var timerId in await PendingAsync(services, slot, cancellationToken))
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<FireTimer>().ExecuteAsync(timerId, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be away for a while, and the job store with it: hold on to the trigger, wait,
            // and run the slot again; the timers it fired already are no longer pending.
            services.GetRequiredService<ILogger<TimerSlotJob>>().LogWarning(e, "Timers of slot {Slot} failed; running the slot again in {Delay}",
                context.JobDetail.Key.Name, RetryDelay);
            await Task.Delay(RetryDelay, cancellationToken);
            throw new JobExecutionException(e) { RefireImmediately = true };
        }
    }

    /// <summary>Whether a timer due in the second ending at <paramref name="second"/> is still pending: one row at most is read.</summary>
    public static async Task<bool> AnyPendingAsync(IServiceProvider services, DateTimeOffset second, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        return await Pending(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>(), second).AnyAsync(ct);
    }

    /// <summary>The pending timers due in the second ending at <paramref name="second"/>, all shards.</summary>
    public static async Task<List<ReviewTimer>> PendingInAsync(IServiceProvider services, DateTimeOffset second, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        return await Pending(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>(), second).ToListAsync(ct);
    }

    /// <summary>The ids of the slot's pending timers, earliest first.</summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(IServiceProvider services, TimerSlot slot, CancellationToken ct)
    {
        var due = await PendingInAsync(services, slot.At, ct);
        return due.Where(slot.Holds).OrderBy(t => t.DueAt).ThenBy(t => t.Id, StringComparer.Ordinal).Select(t => t.Id).ToList();
    }

    private static IQueryable<ReviewTimer> Pending(WetstoetsDbContext db, DateTimeOffset second)
    {
        var from = second.AddSeconds(-1);
        return db.Timers.AsNoTracking().Where(t => t.FiredAt == null && t.CancelledAt == null && t.DueAt > from && t.DueAt <= second);
    }
}
