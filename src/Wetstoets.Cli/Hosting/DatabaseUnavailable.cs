using System.Data.Common;
using Quartz;

namespace Wetstoets.Cli.Hosting;

/// <summary>
/// A worker is a service: when its database is away (restarting, failing over, the network) it waits and
/// tries again instead of exiting. Only failures of the database count; a refusal or a bug ends it.
/// </summary>
public static class DatabaseUnavailable
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    public static bool Is(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException or JobPersistenceException)
            {
                return true;
            }
        }
        return false;
    }

    public static async Task<T> RetryAsync<T>(Func<Task<T>> action, Action<Exception> onRetry, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (Is(e) && !ct.IsCancellationRequested)
            {
                onRetry(e);
                await Task.Delay(RetryDelay, ct);
            }
        }
    }

    public static Task RetryAsync(Func<Task> action, Action<Exception> onRetry, CancellationToken ct) =>
        RetryAsync(async () => { await action(); return true; }, onRetry, ct);
}
