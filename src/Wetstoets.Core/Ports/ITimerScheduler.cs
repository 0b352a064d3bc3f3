using Wetstoets.Domain;

namespace Wetstoets.Ports;

/// <summary>Arms durable timers (Quartz triggers) for timer rows already committed to the database.</summary>
public interface ITimerScheduler
{
    /// <summary>Arms the timers; arming a timer that is already armed replaces it, so calling twice is harmless.</summary>
    Task ScheduleAsync(IReadOnlyCollection<ReviewTimer> timers, CancellationToken cancellationToken);

    /// <summary>Disarms timers already cancelled or fired in the database.</summary>
    Task UnscheduleAsync(IReadOnlyCollection<ReviewTimer> timers, CancellationToken cancellationToken);
}
