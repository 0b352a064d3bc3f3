using Wetstoets.Integration.Tests.Support;
using Wetstoets.Ports;
using Wetstoets.Storage.Locks;
using Wetstoets.Storage.Postgres;

namespace Wetstoets.Integration.Tests.Publishing;

/// <summary>The lock file beside the repository, for publishers on one machine.</summary>
public sealed class FileLockTests : PublishLockTests
{
    protected override Func<IPublishLock> SharedResource()
    {
        var repository = Path.Combine(TestWorkspace.NewFolder(), "rapporten");
        return () => FileLock.Beside(repository, "publish");
    }
}

/// <summary>The advisory lock, for workers on several servers sharing one PostgreSQL database.</summary>
public sealed class AdvisoryLockTests : PublishLockTests
{
    protected override Func<IPublishLock> SharedResource()
    {
        var database = PostgresServer.NewDatabase();
        return () => new AdvisoryLock(database, AdvisoryLock.Publishing);
    }
}

/// <summary>Two publishers (two instances, as in two processes) never hold the lock at once.</summary>
public abstract class PublishLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task A_second_publisher_waits_until_the_first_releases_the_lock()
    {
        var (first, second) = Pair();
        var held = await first.AcquireAsync(default);
        var waiting = second.AcquireAsync(default);

        var finished = await Task.WhenAny(waiting, Task.Delay(Patience));
        Assert.NotSame(waiting, finished);

        await held.DisposeAsync();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_waiting_publisher_can_be_cancelled_and_the_lock_stays_usable()
    {
        var (first, second) = Pair();
        var held = await first.AcquireAsync(default);
        using var cancel = new CancellationTokenSource(Patience);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.AcquireAsync(cancel.Token));

        await held.DisposeAsync();
        await using var again = await second.AcquireAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Makes locks that guard one and the same repository or database.</summary>
    protected abstract Func<IPublishLock> SharedResource();

    private (IPublishLock, IPublishLock) Pair()
    {
        var create = SharedResource();
        return (create(), create());
    }
}
