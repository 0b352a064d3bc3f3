using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Quartz;
using Wetstoets.Storage.Scheduling;

namespace Wetstoets.Benchmarks;

/// <summary>
/// Quartz alone, as the worker configures it (same job store, same thread pool, same poll interval): many
/// one-shot triggers of an empty job due in the same second, and the time until the last has fired. The
/// ceiling for a storm of deadlines that is a storm of triggers.
/// </summary>
public static class RawQuartz
{
    private static int _fired;
    private static long _lastFiredTicks;

    public static async Task<double> FiresPerSecondAsync(string label, string connectionString, bool postgres, int triggers)
    {
        var properties = SchedulerProvider.Properties($"raw-{Guid.NewGuid():N}"[..20], connectionString, postgres, TimeSpan.FromSeconds(1));
        var scheduler = await QuartzSchedulerBuilder.Create(_ => { }).UseProperties(properties).BuildScheduler();
        var due = DateTimeOffset.UtcNow.AddSeconds(5);
        var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        for (var i = 0; i < triggers; i++)
        {
            var job = JobBuilder.Create<EmptyJob>().WithIdentity($"j{i}").RequestRecovery().Build();
            jobs[job] = [TriggerBuilder.Create().WithIdentity($"t{i}").ForJob(job).StartAt(due)
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build()];
        }
        await scheduler.ScheduleJobs(jobs, ScheduleJobOptions.Replacing);
        _fired = 0;
        await scheduler.Start();
        var patience = Stopwatch.StartNew();
        while (Volatile.Read(ref _fired) < triggers && patience.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(50);
        }
        await scheduler.Shutdown(waitForJobsToComplete: true);
        SqliteConnection.ClearAllPools();
        var seconds = (new DateTimeOffset(Interlocked.Read(ref _lastFiredTicks), TimeSpan.Zero) - due).TotalSeconds;
        var rate = triggers / seconds;
        Console.WriteLine($"[raw quartz {label}] {triggers} one-shot triggers of an empty job fired in {seconds:0.00} s after their due time ({rate:0} /s)");
        return rate;
    }

    private sealed class EmptyJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _lastFiredTicks, DateTimeOffset.UtcNow.UtcTicks);
            Interlocked.Increment(ref _fired);
            return ValueTask.CompletedTask;
        }
    }
}
