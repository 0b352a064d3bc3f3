using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Cli.Hosting;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Reviews;
using Wetstoets.Integration.Tests.Support;
using static Wetstoets.Benchmarks.BenchWorkspace;

namespace Wetstoets.Benchmarks;

/// <summary>
/// Many reviews whose deadlines fall in the same second: the time from that second until every round is
/// closed and its report committed and tagged, with the worker as it runs in production (real clock, Quartz
/// triggers in the persistent job store).
/// </summary>
public static class DeadlineStorm
{
    public static readonly string Workflow = TestWorkflows.Direct("storm");

    public static async Task<double> RunSqliteAsync(int reviews, string run)
    {
        await using var ws = await CreateAsync("storm", TimeProvider.System, new Dictionary<string, string?> { ["Worker:PollInterval"] = "00:00:01" });
        var label = $"storm sqlite, {run}";
        await StartReviewsAsync(ws, reviews, label);

        // Every deadline in the same second, a little ahead: the worker re-arms the triggers from these rows.
        var second = WholeSecond(DateTimeOffset.UtcNow.AddSeconds(10));
        await MoveDeadlinesAsync(ws, second);
        await using var worker = new WorkerHost(ws.Services, ws.Workspace);
        var watch = Stopwatch.StartNew();
        await worker.StartAsync(default);
        Console.WriteLine($"[{label}] worker started (re-armed {reviews} timers) in {watch.Elapsed.TotalSeconds:0.0} s; deadline in {(second - DateTimeOffset.UtcNow).TotalSeconds:0.0} s");

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var gcs = GC.CollectionCount(0);
        var drained = await WaitForAllPublishedAsync(ws, reviews, second);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"[{label}] methods compiled during the storm {System.Runtime.JitInfo.GetCompiledMethodCount() - jitted}; garbage collections {GC.CollectionCount(0) - gcs}");
        Console.WriteLine($"[{label}] {reviews} rounds closed, reports committed and tagged {drained.TotalSeconds:0.00} s after the deadline ({reviews / drained.TotalSeconds:0} /s)");
        // The floor on this machine: all the work spread perfectly over its cores.
        Console.WriteLine($"[{label}] processor time {cpu.TotalSeconds:0.0} s ({cpu.TotalMilliseconds / reviews:0.0} ms per review): at least {cpu.TotalSeconds / Environment.ProcessorCount:0.0} s on {Environment.ProcessorCount} cores");
        await VerifyAsync(ws, reviews);
        return reviews / drained.TotalSeconds;
    }

    /// <summary>
    /// The storm on PostgreSQL with <paramref name="workers"/> <c>wetstoets worker</c> processes sharing the
    /// timers through the Quartz cluster, next to the raw Quartz rate on the same server.
    /// </summary>
    public static async Task<double> RunPostgresAsync(int reviews, int workers, Func<string> newDatabase)
    {
        var label = $"storm postgres, {workers} worker{(workers == 1 ? "" : "s")}";
        var connectionString = newDatabase();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = connectionString,
            ["Worker:PollInterval"] = "00:00:01",
        };
        await using var ws = await CreateAsync("storm-pg", TimeProvider.System, settings);
        File.WriteAllText(Path.Combine(ws.Folder, "wetstoets.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            Storage = new { Provider = "postgres", ConnectionString = connectionString },
            Worker = new { PollInterval = "00:00:01" },
        }));
        await StartReviewsAsync(ws, reviews, label);

        var second = WholeSecond(DateTimeOffset.UtcNow.AddSeconds(15));
        await MoveDeadlinesAsync(ws, second);
        var processes = Enumerable.Range(0, workers).Select(_ => StartWorker(ws.Folder)).ToList();
        try
        {
            var drained = await WaitForAllPublishedAsync(ws, reviews, second);
            Console.WriteLine($"[{label}] {reviews} rounds closed, reports committed and tagged {drained.TotalSeconds:0.00} s after the deadline ({reviews / drained.TotalSeconds:0} /s)");
            await VerifyAsync(ws, reviews);
            return reviews / drained.TotalSeconds;
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static Process StartWorker(string folder)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "wetstoets")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--data", folder, "worker" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The same rounds closed one after another by calling the timer use case directly: the work without Quartz.</summary>
    public static async Task RunSequentialAsync(int reviews)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ws = await CreateAsync("storm-seq", clock);
        await StartReviewsAsync(ws, reviews, "storm sequential");
        var deadlines = await ws.Query(db => db.Timers.Where(t => t.Kind == TimerKind.Deadline).Select(t => t.Id).ToListAsync());
        clock.Advance(TimeSpan.FromDays(2));
        var watch = Stopwatch.StartNew();
        var lap = Stopwatch.StartNew();
        var done = 0;
        foreach (var id in deadlines)
        {
            await ws.Use<Wetstoets.Features.Timers.FireTimer, Wetstoets.Workflows.RunOutcome>(u => u.ExecuteAsync(id, default));
            if (++done % 250 == 0)
            {
                Console.WriteLine($"[storm sequential] {done} closed; last 250 at {lap.Elapsed.TotalMilliseconds / 250:0.0} ms each");
                lap.Restart();
            }
        }
        Console.WriteLine($"[storm sequential] {reviews} rounds closed and published one by one in {watch.Elapsed.TotalSeconds:0.00} s ({reviews / watch.Elapsed.TotalSeconds:0} /s)");
        await VerifyAsync(ws, reviews);
    }

    /// <summary>Installs the storm workflow and starts the reviews, each with a panel of three municipalities.</summary>
    private static async Task StartReviewsAsync(BenchWorkspace ws, int reviews, string label)
    {
        Directory.CreateDirectory(ws.Workspace.WorkflowsDirectory);
        File.WriteAllText(Path.Combine(ws.Workspace.WorkflowsDirectory, "storm.yaml"), Workflow);
        await ws.SeedAsync(3);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < reviews; i++)
        {
            Require(await ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("storm.yaml", Draft(), "storm", false, "bench", default)));
        }
        Console.WriteLine($"[{label}] started {reviews} reviews (3 municipalities each) in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Sets every round's deadline and deadline timer to the same moment, as if the drafts had said so.</summary>
    public static async Task MoveDeadlinesAsync(BenchWorkspace ws, DateTimeOffset due)
    {
        await ws.Query(async db =>
        {
            await db.Rounds.ExecuteUpdateAsync(r => r.SetProperty(x => x.Deadline, due));
            return await db.Timers.Where(t => t.Kind == TimerKind.Deadline).ExecuteUpdateAsync(t => t.SetProperty(x => x.DueAt, due));
        });
    }

    /// <summary>Waits until every review's report is published; returns the time from the deadline to the last.</summary>
    /// <summary>
    /// The start of the second: deadlines that fall in the same second fall on it, as a date's deadline (midnight)
    /// does. A deadline within a second fires at its end, up to a second later (<c>TimerSlot</c>).
    /// </summary>
    private static DateTimeOffset WholeSecond(DateTimeOffset moment) => moment.AddTicks(-(moment.Ticks % TimeSpan.TicksPerSecond));

    public static async Task<TimeSpan> WaitForAllPublishedAsync(BenchWorkspace ws, int reviews, DateTimeOffset deadline)
    {
        var patience = Stopwatch.StartNew();
        while (await ws.Query(db => db.ReportVersions.CountAsync(v => v.PublishedAt != null)) < reviews)
        {
            if (patience.Elapsed > TimeSpan.FromMinutes(15))
            {
                throw new TimeoutException("the storm did not drain within 15 minutes");
            }
            await Task.Delay(100);
        }
        var published = await ws.Query(db => db.ReportVersions.Select(v => v.PublishedAt!.Value).ToListAsync());
        return published.Max() - deadline;
    }

    /// <summary>Exactly once: one closing per round, one commit and tag per review.</summary>
    public static async Task VerifyAsync(BenchWorkspace ws, int reviews)
    {
        var closes = await ws.Query(db => db.Audit.CountAsync(a => a.Action == "round-closed"));
        var publishes = await ws.Query(db => db.History.CountAsync(h => h.StepId == "publiceren"));
        if (closes != reviews || publishes != reviews)
        {
            throw new InvalidOperationException($"expected {reviews} closings and publications, found {closes} and {publishes}");
        }
    }
}
