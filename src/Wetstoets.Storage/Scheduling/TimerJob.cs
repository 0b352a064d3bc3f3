using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Wetstoets.Features.Timers;

namespace Wetstoets.Storage.Scheduling;

/// <summary>
/// Fires one review timer. The job only says *when*; <see cref="FireTimer"/> decides *whether*, in the
/// database, so a trigger fired twice (a recovered job of a dead node, a replay) has one effect.
/// </summary>
[DisallowConcurrentExecution]
public sealed class TimerJob : IJob
{
    public const string TimerIdKey = "timer";
    public const string ServicesKey = "services";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var timerId = context.MergedJobDataMap.GetString(TimerIdKey)!;
        var services = (IServiceProvider)context.Scheduler.Context[ServicesKey]!;
        try
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<FireTimer>().ExecuteAsync(timerId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be away for a while: the timer stays pending in our table, so try again later.
            services.GetRequiredService<ILogger<TimerJob>>().LogWarning(e, "Timer {Timer} failed; retrying in {Delay}", timerId, RetryDelay);
            var retry = TriggerBuilder.Create().WithIdentity(context.Trigger.Key).ForJob(context.JobDetail.Key)
                .StartAt(DateTimeOffset.UtcNow + RetryDelay).WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
            await context.Scheduler.RescheduleJob(context.Trigger.Key, retry, cancellationToken);
        }
    }
}
