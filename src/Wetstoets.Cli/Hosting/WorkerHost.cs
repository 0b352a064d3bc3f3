using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Timers;
using Wetstoets.Hosting;
using Wetstoets.Mail;
using Wetstoets.Storage.Scheduling;
using Wetstoets.Workflows;

namespace Wetstoets.Cli.Hosting;

/// <summary>
/// The worker: fires timers (the Quartz scheduler, started) and sends the outgoing mail queue. On SQLite only
/// one worker may run per workspace, because a starting scheduler recovers triggers another one holds; on
/// PostgreSQL the schedulers form a cluster and any number of workers share the timers.
/// </summary>
public sealed class WorkerHost(IServiceProvider services, Workspace workspace) : IAsyncDisposable
{
    private static readonly TimeSpan MailInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    private FileStream? _lock;

    public string LockFile => Path.Combine(workspace.DataDirectory, "wetstoets.worker.lock");

    /// <summary>Takes the workspace's worker lock, recovers what a crash left, and starts the scheduler.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        // Checked before anything runs: a review must never start on a definition the worker cannot read.
        var (_, invalid) = services.GetRequiredService<WorkflowCatalog>().LoadAll();
        if (invalid.Count > 0)
        {
            throw new WorkerCannotStart("workflow definitions are invalid:\n" + string.Join("\n", invalid));
        }
        if (services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider != "postgres")
        {
            await TakeWorkspaceLockAsync(ct);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var (timers, reviews) = await scope.ServiceProvider.GetRequiredService<RecoverReviews>().ExecuteAsync(ct);
            services.GetRequiredService<ILogger<WorkerHost>>().LogInformation("Re-armed {Timers} timers, resumed {Reviews} reviews", timers, reviews);
        }
        await services.GetRequiredService<SchedulerProvider>().StartAsync(ct);
    }

    /// <summary>
    /// Sends queued mail until cancelled, and now and then resumes reviews a dead node left in the middle of a
    /// run; timers fire on the scheduler's own threads meanwhile.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var logger = services.GetRequiredService<ILogger<WorkerHost>>();
        await DatabaseUnavailable.RetryAsync(() => StartAsync(ct), e => logger.LogWarning("Database unavailable ({Error}); retrying", e.Message), ct);
        var clock = services.GetRequiredService<TimeProvider>();
        var nextSweep = clock.GetUtcNow() + SweepInterval;
        var nextSync = clock.GetUtcNow();
        var failing = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await OutsideServiceAsync(logger, () => scope.ServiceProvider.GetRequiredService<MailDispatcher>().DispatchPendingAsync(null, ct));
                if (clock.GetUtcNow() >= nextSync && scope.ServiceProvider.GetRequiredService<SyncReplies>() is { HasMailbox: true } replies)
                {
                    nextSync = clock.GetUtcNow() + services.GetRequiredService<M365Options>().SyncInterval;
                    await OutsideServiceAsync(logger, () => replies.ExecuteAsync(ct));
                }
                if (scope.ServiceProvider.GetRequiredService<RegisterResponses>() is { HasRegister: true } register)
                {
                    await OutsideServiceAsync(logger, () => register.ExecuteAsync(ct));
                }
                var recover = scope.ServiceProvider.GetRequiredService<RecoverReviews>();
                if (failing)
                {
                    // The database is back. Quartz may hold triggers it acquired just before the outage and never
                    // fired: arm every pending timer again, as at a start (firing twice has no second effect).
                    var (timers, reviews) = await recover.ExecuteAsync(ct);
                    logger.LogWarning("Database back: re-armed {Timers} timers, resumed {Reviews} reviews", timers, reviews);
                    failing = false;
                }
                if (clock.GetUtcNow() >= nextSweep)
                {
                    nextSweep = clock.GetUtcNow() + SweepInterval;
                    var (timers, reviews) = await recover.ResumeStalledAsync(ct);
                    if (timers + reviews > 0)
                    {
                        logger.LogWarning("Re-armed {Timers} overdue timers and resumed {Reviews} stalled reviews", timers, reviews);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a while: keep trying, the work waits in the database.
                logger.LogWarning(e, "Worker cycle failed; retrying");
                failing = true;
            }
            try
            {
                await Task.Delay(MailInterval, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Runs work against a service outside (Microsoft 365, the outbox folder). When that service fails, the work
    /// waits in the database for the next pass; only a database failure makes the cycle count as failed.
    /// </summary>
    private static async Task OutsideServiceAsync<T>(ILogger logger, Func<Task<T>> work)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (e is not OperationCanceledException && !DatabaseUnavailable.Is(e))
        {
            logger.LogWarning("Outside service unavailable ({Error}); the work stays queued for the next pass", e.Message);
        }
    }

    private async Task TakeWorkspaceLockAsync(CancellationToken ct)
    {
        if (_lock is not null)
        {
            return;   // taken by an earlier attempt to start
        }
        try
        {
            _lock = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new WorkerCannotStart($"another worker (or 'serve') already runs on {workspace.DataDirectory}; on SQLite one worker per workspace fires the timers");
        }
        _lock.SetLength(0);
        await _lock.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
        await _lock.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_lock is not null)
        {
            await _lock.DisposeAsync();
        }
    }
}

/// <summary>The worker refuses to start: another one holds the workspace, or the definitions are invalid.</summary>
public sealed class WorkerCannotStart(string message) : Exception(message);
