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
    /// Removes the triggers of slots left without pending timers. Arming a slot replaces its trigger, so
    /// another review may arm the slot between the check and the removal: the slot is checked again after it
    /// is removed, and armed again if a timer came in (its row commits before it is armed).
    /// </summary>
    public async Task UnscheduleAsync(IReadOnlyCollection<ReviewTimer> timers, CancellationToken ct)
    {
        if (timers.Count == 0)
        {
            return;
        }
        var scheduler = await schedulers.GetAsync(ct);
        foreach (var slot in timers.Select(TimerSlot.Of).Distinct())
        {
            if ((await TimerSlotJob.PendingAsync(services, slot, ct)).Count > 0 || !await scheduler.DeleteJob(slot.Key, ct))
            {
                continue;
            }
            if ((await TimerSlotJob.PendingAsync(services, slot, ct)).Count > 0)
            {
                await scheduler.ScheduleJobs(new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>> { [Job(slot)] = Trigger(slot) }, ScheduleJobOptions.Replacing, ct);
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
