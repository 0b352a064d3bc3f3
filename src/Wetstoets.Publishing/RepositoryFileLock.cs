using System.Collections.Concurrent;
using Wetstoets.Ports;

namespace Wetstoets.Publishing;

/// <summary>
/// The publish lock on one machine: an exclusive lock file beside the report repository (not in it, so it
/// never shows up in the working tree). Used with SQLite, where every publisher runs on the same machine.
/// Publishers within this process queue on a semaphore first and hand the lock on at once; only another
/// process is waited for by polling the file.
/// </summary>
public sealed class RepositoryFileLock(string repositoryPath) : IPublishLock
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new(StringComparer.Ordinal);

    private readonly string _lockFile = Path.GetFullPath(repositoryPath).TrimEnd(Path.DirectorySeparatorChar) + ".publish.lock";

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
                // Another process publishes; it holds the file for the length of one commit.
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
