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
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

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
            // The database may be away for a while. The job store lives in it too, so rescheduling would fail
            // as well: hold on to the trigger, wait, and run again. A node that dies meanwhile hands the job to
            // another (it requests recovery); a worker that stops leaves the timer pending in our table, and the
            // next worker arms it again.
            services.GetRequiredService<ILogger<TimerJob>>().LogWarning(e, "Timer {Timer} failed; running it again in {Delay}", timerId, RetryDelay);
            await Task.Delay(RetryDelay, cancellationToken);
            throw new JobExecutionException(e) { RefireImmediately = true };
        }
    }
}
