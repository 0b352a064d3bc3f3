using System.Collections.Specialized;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Quartz;
using Wetstoets.Hosting;

namespace Wetstoets.Storage.Scheduling;

/// <summary>
/// The one Quartz scheduler of a process, on the persistent job store in the workspace database. Commands
/// that only add or remove triggers use it without starting it; only <c>worker</c>, <c>serve</c> and
/// <c>demo</c> start it (see <see cref="StartAsync"/>), because a started scheduler recovers triggers.
/// </summary>
public sealed class SchedulerProvider(IServiceProvider services, IOptions<StorageOptions> storage, IOptions<WorkerOptions> worker, Workspace workspace) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IScheduler? _scheduler;

    public async Task<IScheduler> GetAsync(CancellationToken ct)
    {
        if (_scheduler is not null)
        {
            return _scheduler;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_scheduler is null)
            {
                var scheduler = await QuartzSchedulerBuilder.Create(_ => { }).UseProperties(Properties()).BuildScheduler(ct);
                scheduler.Context[TimerSlotJob.ServicesKey] = services;
                _scheduler = scheduler;
            }
            return _scheduler;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StartAsync(CancellationToken ct) => await (await GetAsync(ct)).Start(ct);

    public async ValueTask DisposeAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.Shutdown(waitForJobsToComplete: true);
        }
        _gate.Dispose();
    }

    private NameValueCollection Properties()
    {
        var postgres = storage.Value.Provider == "postgres";
        var connectionString = postgres ? StorageSetup.PostgresConnectionString(storage.Value) : StorageSetup.SqliteConnectionString(storage.Value, workspace);
        // One scheduler name per database: tests and tools may open several workspaces in one process, and the
        // nodes of a cluster share a database, hence the name.
        var name = postgres
            ? "wetstoets-" + new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database
            : "wetstoets-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(connectionString)))[..12];
        return Properties(name, connectionString, postgres, worker.Value.PollInterval);
    }

    /// <summary>The job store settings of a worker (public so the benchmarks measure Quartz as the product runs it).</summary>
    public static NameValueCollection Properties(string name, string connectionString, bool postgres, TimeSpan pollInterval)
    {
        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = name,
            ["quartz.scheduler.instanceId"] = "AUTO",
            ["quartz.scheduler.idleWaitTime"] = ((int)pollInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A thread for every timer shard, and two for everything else.
            ["quartz.threadPool.maxConcurrency"] = (TimerSlot.Shards + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["quartz.serializer.type"] = "stj",
            ["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.LocalTransactionJobStore, Quartz",
            ["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.SQLiteDelegate, Quartz",
            ["quartz.jobStore.tablePrefix"] = "QRTZ_",
            ["quartz.jobStore.dataSource"] = "wetstoets",
            ["quartz.jobStore.schemaProvisioning"] = "CreateIfMissing",
            ["quartz.jobStore.misfireThreshold"] = "5000",
            ["quartz.dataSource.wetstoets.connectionString"] = connectionString,
            ["quartz.dataSource.wetstoets.provider"] = "SQLite-Microsoft",
        };
        if (postgres)
        {
            // Several workers share the timers: clustering balances triggers and recovers those of a dead node.
            properties["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz";
            properties["quartz.dataSource.wetstoets.provider"] = "Npgsql";
            properties["quartz.jobStore.clustered"] = "true";
            properties["quartz.jobStore.clusterCheckinInterval"] = "5000";
        }
        return properties;
    }
}
