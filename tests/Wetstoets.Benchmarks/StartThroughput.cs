using System.Diagnostics;
using Wetstoets.Common;
using Wetstoets.Features.Reviews;
using static Wetstoets.Benchmarks.BenchWorkspace;

namespace Wetstoets.Benchmarks;

/// <summary>Reviews started per second: routing and 40 invitations each to the outbox (durable SQLite).</summary>
public static class StartThroughput
{
    public static async Task RunAsync(int reviews)
    {
        await using var ws = await CreateAsync("start", TimeProvider.System);
        await ws.SeedAsync(40);
        // The first start pays for warming up; the figure is the steady state after it.
        Require(await ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("bench.yaml", Draft(), null, false, "bench", default)));
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < reviews; i++)
        {
            Require(await ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("bench.yaml", Draft(), null, false, "bench", default)));
        }
        Console.WriteLine($"[start] {reviews} reviews started (route + 40 invitations each to the outbox) in {watch.Elapsed.TotalSeconds:0.0} s: {reviews / watch.Elapsed.TotalSeconds:0.0} reviews/s, {reviews * 40 / watch.Elapsed.TotalSeconds:0} invitations/s");
    }
}
