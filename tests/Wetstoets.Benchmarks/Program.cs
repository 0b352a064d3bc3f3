using Wetstoets.Benchmarks;

// Scenarios that print their figures: `dotnet run -c Release --project tests/Wetstoets.Benchmarks [-- <scenario>...]`.
var scenarios = new Dictionary<string, Func<Task>>(StringComparer.Ordinal)
{
    ["national"] = NationalRound.RunAsync,
    ["storm"] = () => DeadlineStorm.RunSqliteAsync(1000),
    ["storm-sequential"] = () => DeadlineStorm.RunSequentialAsync(int.Parse(Environment.GetEnvironmentVariable("STORM_N") ?? "1000", System.Globalization.CultureInfo.InvariantCulture)),
};
var chosen = args.Length == 0 ? scenarios.Keys.ToArray() : args;
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
return 0;
