using Quartz;
using Wetstoets.Domain;
using Wetstoets.Ports;

namespace Wetstoets.Storage.Scheduling;

/// <summary>Arms review timers as one-shot Quartz triggers in the persistent job store, keyed by the timer's id.</summary>
public sealed class QuartzTimerScheduler(SchedulerProvider schedulers) : ITimerScheduler
{
    public const string Group = "review-timers";

    public async Task ScheduleAsync(IReadOnlyCollection<ReviewTimer> timers, CancellationToken ct)
    {
        if (timers.Count == 0)
        {
            return;
        }
        var scheduler = await schedulers.GetAsync(ct);
        var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var timer in timers)
        {
            var job = JobBuilder.Create<TimerJob>()
                .WithIdentity(timer.Id, Group)
                .UsingJobData(TimerJob.TimerIdKey, timer.Id)
                .RequestRecovery()
                .Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(timer.Id, Group)
                .ForJob(job)
                .StartAt(timer.DueAt)
                // A trigger overdue after downtime or a clock jump fires once, at once.
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            jobs[job] = [trigger];
        }
        await scheduler.ScheduleJobs(jobs, ScheduleJobOptions.Replacing, ct);
    }

    public async Task UnscheduleAsync(IReadOnlyCollection<string> timerIds, CancellationToken ct)
    {
        if (timerIds.Count == 0)
        {
            return;
        }
        var scheduler = await schedulers.GetAsync(ct);
        await scheduler.DeleteJobs(timerIds.Select(id => new JobKey(id, Group)).ToList(), ct);
    }
}
