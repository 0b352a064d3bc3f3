using Quartz;
using Wetstoets.Domain;
using Wetstoets.Ports;

namespace Wetstoets.Storage.Scheduling;

/// <summary>
/// Arms review timers in the persistent job store: one one-shot trigger per <see cref="TimerSlot"/>, shared by
/// every timer due in that second and shard.
/// </summary>
public sealed class QuartzTimerScheduler(SchedulerProvider schedulers, IServiceProvider services) : ITimerScheduler
{
    public async Task ScheduleAsync(IReadOnlyCollection<ReviewTimer> timers, CancellationToken ct)
    {
        if (timers.Count == 0)
        {
            return;
        }
        var scheduler = await schedulers.GetAsync(ct);
        await scheduler.ScheduleJobs(timers.Select(TimerSlot.Of).Distinct().ToDictionary(Job, Trigger), ScheduleJobOptions.Replacing, ct);
    }

    /// <summary>
    /// Removes the triggers of a second once none of its timers is pending, all its shards at once. Arming a
    /// slot replaces its trigger, so another review may arm one between the check and the removal: the second
    /// is checked again after the removal, and what came in is armed again (its row commits before it is armed).
    /// </summary>
    public async Task UnscheduleAsync(IReadOnlyCollection<ReviewTimer> timers, CancellationToken ct)
    {
        if (timers.Count == 0)
        {
            return;
        }
        var scheduler = await schedulers.GetAsync(ct);
        foreach (var second in timers.Select(t => TimerSlot.Of(t).At).Distinct())
        {
            if (await TimerSlotJob.AnyPendingAsync(services, second, ct))
            {
                continue;
            }
            await scheduler.DeleteJobs(TimerSlot.AllIn(second).Select(s => s.Key).ToList(), ct);
            if (await TimerSlotJob.AnyPendingAsync(services, second, ct))
            {
                await ScheduleAsync(await TimerSlotJob.PendingInAsync(services, second, ct), ct);
            }
        }
    }

    private static IJobDetail Job(TimerSlot slot) =>
        JobBuilder.Create<TimerSlotJob>().WithIdentity(slot.Key).RequestRecovery().Build();

    private static IReadOnlyCollection<ITrigger> Trigger(TimerSlot slot) =>
    [
        TriggerBuilder.Create()
            .WithIdentity(slot.Key.Name, slot.Key.Group)
            .ForJob(slot.Key)
            .StartAt(slot.At)
            // A slot overdue after downtime or a clock jump fires once, at once.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build(),
    ];
}
