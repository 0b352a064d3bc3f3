using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Wetstoets.Integration.Tests.Support;

namespace Wetstoets.Integration.Tests.Cli;

/// <summary>
/// The worker as a process, with Quartz's persistent job store in the workspace's SQLite file: timers that
/// came due while no worker ran fire once at the next start; a killed and restarted worker adds nothing.
/// </summary>
public sealed class WorkerTests : IDisposable
{
    private readonly string _data = TestWorkspace.NewFolder("wt-worker");
    private readonly List<Process> _workers = [];

    private Task<CliResult> Run(params string[] args) => CliProcess.RunAsync(_data, args);

    private Process StartWorker()
    {
        var worker = CliProcess.Start(_data, new System.Text.StringBuilder(), "worker");
        _workers.Add(worker);
        return worker;
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "wetstoets.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private async Task WaitUntil(Func<bool> condition, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < patience, $"not reached within {patience.TotalSeconds} s");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Timers_due_while_no_worker_ran_fire_once_at_the_next_start()
    {
        Assert.Equal(0, (await Run("init")).ExitCode);
        File.Copy(TestWorkspace.Sample("demo-workflow.yaml"), Path.Combine(_data, "workflows", "demo.yaml"));
        Assert.Equal(0, (await Run("municipalities", "import", TestWorkspace.Sample("municipalities.csv"))).ExitCode);
        Assert.Equal(0, (await Run("panels", "import", TestWorkspace.Sample("panels.yaml"))).ExitCode);
        var start = await Run("review", "start", TestWorkspace.Sample("draft-v1.yaml"), "--workflow", "uitvoeringstoets-demo");
        Assert.Equal(0, start.ExitCode);
        var id = start.Lines[0];
        // One trigger per second in which a timer is due (DueAt holds ticks: rounded up to whole seconds).
        var seconds = Count("SELECT COUNT(DISTINCT (DueAt + 9999999) / 10000000) FROM Timers");
        Assert.Equal(2, seconds);
        Assert.Equal(seconds, Count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'timer-slots'"));

        // The round lasts 8 s; let its reminder and deadline pass with no worker running.
        await Task.Delay(TimeSpan.FromSeconds(9));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM Rounds WHERE ClosedAt IS NOT NULL"));

        var worker = StartWorker();
        await WaitUntil(() => Count("SELECT COUNT(*) FROM ReportVersions WHERE PublishedAt IS NOT NULL") == 1, TimeSpan.FromSeconds(60));

        // On SQLite one worker per workspace: a second one refuses.
        var second = await Run("worker");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already runs", second.StdErr, StringComparison.Ordinal);

        worker.Kill(entireProcessTree: true);
        await worker.WaitForExitAsync();
        var restarted = StartWorker();
        await Task.Delay(TimeSpan.FromSeconds(4));
        restarted.Kill(entireProcessTree: true);
        await restarted.WaitForExitAsync();

        Assert.Equal(1, Count($"SELECT COUNT(*) FROM Audit WHERE Subject = '{id}' AND Action = 'round-closed'"));
        Assert.True(Count($"SELECT COUNT(*) FROM Audit WHERE Subject = '{id}' AND Action = 'reminded'") <= 1);
        Assert.True(Count($"SELECT MAX(RemindersSent) FROM Invitations WHERE ReviewId = '{id}'") <= 1);
        Assert.Equal(1, Count($"SELECT COUNT(*) FROM History WHERE ReviewId = '{id}' AND StepId = 'publiceren'"));
        Assert.Equal("1", Git.Run(Path.Combine(_data, "reports"), "rev-list", "--count", "HEAD").Trim());
        var status = await Run("review", "status", id);
        Assert.Contains("waiting for decision", status.StdOut, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var worker in _workers.Where(w => !w.HasExited))
        {
            worker.Kill(entireProcessTree: true);
        }
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
