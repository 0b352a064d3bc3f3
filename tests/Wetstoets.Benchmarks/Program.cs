using Wetstoets.Benchmarks;
using Wetstoets.Integration.Tests.Support;

// Scenarios that print their figures: `dotnet run -c Release --project tests/Wetstoets.Benchmarks [-- <scenario>...]`.
var Storm = int.TryParse(Environment.GetEnvironmentVariable("STORM"), out var n) ? n : 1000;
var scenarios = new Dictionary<string, Func<Task>>(StringComparer.Ordinal)
{
    ["national"] = NationalRound.RunAsync,
    ["start"] = () => StartThroughput.RunAsync(200),
    ["storm"] = async () =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"wt-bench-raw-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        BenchWorkspace.RemoveAtEnd(folder);
        var raw = await RawQuartz.FiresPerSecondAsync("sqlite, 1 node", $"Data Source={Path.Combine(folder, "raw.db")}", postgres: false, Storm);
        // Twice in one process: the first storm pays for the process's warm-up (JIT of every step's code), the
        // second is what a worker that has closed rounds before sees.
        foreach (var run in new[] { "cold", "warm" })
        {
            var storm = await DeadlineStorm.RunSqliteAsync(Storm, run);
            Console.WriteLine($"[storm sqlite, {run}] storm rate / raw Quartz rate: {storm / raw:P0}");
        }
    },
    ["storm-postgres"] = async () =>
    {
        using var server = PostgresServer.StartPrivate();
        var raw = await RawQuartz.FiresPerSecondAsync("postgres, 1 node", server.CreateDatabase(), postgres: true, Storm);
        var one = await DeadlineStorm.RunPostgresAsync(Storm, 1, server.CreateDatabase);
        var two = await DeadlineStorm.RunPostgresAsync(Storm, 2, server.CreateDatabase);
        Console.WriteLine($"[storm postgres] 1 worker {one:0} /s, 2 workers {two:0} /s; raw Quartz (1 node) {raw:0} /s");
    },
    ["storm-sequential"] = () => DeadlineStorm.RunSequentialAsync(Storm),
    ["graph"] = GraphMailbox.RunAsync,
    ["readme"] = () =>
    {
        IndexRendering.Run(Storm);
        return Task.CompletedTask;
    },
};
var chosen = args.Length == 0 ? ["national", "start", "graph", "storm", "storm-postgres"] : args;
Console.WriteLine($"Wetstoets benchmarks on {Environment.ProcessorCount} cores: {string.Join(", ", chosen)}");
foreach (var name in chosen)
{
    if (!scenarios.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"unknown scenario '{name}' (expected: {string.Join(", ", scenarios.Keys)})");
        return 2;
    }
    await run();
}
BenchWorkspace.RemoveLeftovers();
return 0;
