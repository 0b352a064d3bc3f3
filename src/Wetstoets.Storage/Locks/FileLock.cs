using System.Collections.Concurrent;
using Wetstoets.Ports;

namespace Wetstoets.Storage.Locks;

/// <summary>
/// A lock on one machine: an exclusive lock file, e.g. beside the report repository (not in it, so it never
/// shows up in the working tree) for publishers, or beside the database for mail senders. Used with SQLite,
/// where every process runs on the same machine. Holders within this process queue on a semaphore first and
/// hand the lock on at once; only another process is waited for by polling the file.
/// </summary>
public sealed class FileLock(string lockFile) : IPublishLock, ISendLock
{
    /// <summary>The lock file for <paramref name="purpose"/> beside <paramref name="path"/>: <c>&lt;path&gt;.&lt;purpose&gt;.lock</c>.</summary>
    public static FileLock Beside(string path, string purpose) =>
        new(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar) + $".{purpose}.lock");

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    private readonly string _lockFile = Path.GetFullPath(lockFile);

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct)
    {
        var gate = InProcess.GetOrAdd(_lockFile, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            return new Held(await OpenLockFileAsync(ct), gate);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private async Task<FileStream> OpenLockFileAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_lockFile)!);
        while (true)
        {
            try
            {
                return new FileStream(_lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Another process holds it, for the length of one commit or one pass of the mail queue.
                await Task.Delay(Poll, ct);
            }
        }
    }

    private sealed class Held(FileStream file, SemaphoreSlim gate) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await file.DisposeAsync();
            gate.Release();
        }
    }
}
