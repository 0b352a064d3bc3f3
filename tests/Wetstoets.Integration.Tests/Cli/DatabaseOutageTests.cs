using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Wetstoets.Integration.Tests.Support;

namespace Wetstoets.Integration.Tests.Cli;

/// <summary>
/// The database goes away while a worker waits for deadlines, and comes back: the worker waits, carries on,
/// and each round closes exactly once.
/// </summary>
public sealed class DatabaseOutageTests : IDisposable
{
    private readonly string _data = TestWorkspace.NewFolder("wt-outage");
    private readonly PostgresServer _server = PostgresServer.StartPrivate();
    private readonly System.Text.StringBuilder _output = new();
    private Process? _worker;

    private Task<CliResult> Run(params string[] args) => CliProcess.RunAsync(_data, args);

    [Fact]
    public async Task A_worker_survives_the_database_going_away_and_closes_every_round_once_when_it_is_back()
    {
        var connectionString = _server.CreateDatabase();
        File.WriteAllText(Path.Combine(_data, "wetstoets.json"), JsonSerializer.Serialize(new
        {
            Storage = new { Provider = "postgres", ConnectionString = connectionString },
            Worker = new { PollInterval = "00:00:01" },
        }));
        Assert.Equal(0, (await Run("init")).ExitCode);
        // The demo workflow: no extension when nobody answers, so the deadline closes the round.
        File.Copy(TestWorkspace.Sample("demo-workflow.yaml"), Path.Combine(_data, "workflows", "demo.yaml"));
        Assert.Equal(0, (await Run("municipalities", "import", TestWorkspace.Sample("municipalities.csv"))).ExitCode);
        Assert.Equal(0, (await Run("panels", "import", TestWorkspace.Sample("panels.yaml"))).ExitCode);
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var start = await Run("review", "start", TestWorkspace.Sample("draft-v1.yaml"), "--workflow", "uitvoeringstoets-demo");
            Assert.Equal(0, start.ExitCode);
            ids.Add(start.Lines[0]);
        }
        // However long the set-up took: both deadlines a few seconds from now. The worker arms its triggers
        // from these rows when it starts.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(8);
        Execute(connectionString, "UPDATE \"Rounds\" SET \"Deadline\" = @due", deadline);
        Execute(connectionString, "UPDATE \"Timers\" SET \"DueAt\" = @due WHERE \"Kind\" = 'deadline'", deadline);
        _worker = CliProcess.Start(_data, _output, "worker");

        // Away from a few seconds before the deadline until well after it.
        var untilOutage = deadline - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(3);
        if (untilOutage > TimeSpan.Zero)
        {
            await Task.Delay(untilOutage);
        }
        Assert.True(DateTimeOffset.UtcNow < deadline, "the outage must begin before the deadline");
        _server.Stop();
        await Task.Delay(TimeSpan.FromSeconds(10));
        Assert.False(_worker.HasExited, $"the worker gave up while the database was away:\n{_output}");
        _server.Start();

        var patience = Stopwatch.StartNew();
        while (Count(connectionString, "SELECT COUNT(*) FROM \"Rounds\" WHERE \"ClosedAt\" IS NOT NULL") < ids.Count)
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(90), $"the rounds did not close after the database came back:\n{_output}");
            await Task.Delay(250);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var id in ids)
        {
            Assert.Equal(1, Count(connectionString, $"SELECT COUNT(*) FROM \"Audit\" WHERE \"Subject\" = '{id}' AND \"Action\" = 'round-closed'"));
        }
        Assert.False(_worker.HasExited);
    }

    // Unpooled: a pooled connection would still point at the server that was stopped.
    private static NpgsqlConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(string connectionString, string sql, DateTimeOffset due)
    {
        using var connection = Open(connectionString);
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("due", due);
        command.ExecuteNonQuery();
    }

    private static long Count(string connectionString, string sql)
    {
        using var connection = Open(connectionString);
        using var command = new NpgsqlCommand(sql, connection);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        if (_worker is { HasExited: false })
        {
            _worker.Kill(entireProcessTree: true);
            _worker.WaitForExit();
        }
        _worker?.Dispose();
        _server.Dispose();
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
