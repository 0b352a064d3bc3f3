namespace Wetstoets.Ports;

/// <summary>
/// Serialises senders of the outgoing mail queue across processes and servers, so the minute's allowance
/// (<c>M365:MaxMessagesPerMinute</c>) is counted and spent by one sender at a time.
/// </summary>
public interface ISendLock
{
    /// <summary>Waits for the lock; disposing the result releases it.</summary>
    Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken);
}
