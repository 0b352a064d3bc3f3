using Wetstoets.Ports;

namespace Wetstoets.Publishing;

/// <summary>
/// The publish lock on one machine: an exclusive lock file beside the report repository (not in it, so it
/// never shows up in the working tree). Used with SQLite, where every publisher runs on the same machine.
/// </summary>
public sealed class RepositoryFileLock(string repositoryPath) : IPublishLock
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly string _lockFile = Path.GetFullPath(repositoryPath).TrimEnd(Path.DirectorySeparatorChar) + ".publish.lock";

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct)
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
}
