namespace Wetstoets.Ports;

/// <summary>
/// Serialises publishers of one report repository across processes and servers. Held from before the
/// index is computed until the publishing transaction has committed, so the next publisher's index sees
/// every version published before it.
/// </summary>
public interface IPublishLock
{
    /// <summary>Waits for the lock; disposing the result releases it.</summary>
    Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken);
}
