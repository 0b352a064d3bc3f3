using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Cli.Hosting;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Reviews;
using static Wetstoets.Benchmarks.BenchWorkspace;

namespace Wetstoets.Benchmarks;

/// <summary>
/// Many reviews whose deadlines fall in the same second: the time from that second until every round is
/// closed and its report committed and tagged, with the worker as it runs in production (real clock, Quartz
/// triggers in the persistent job store).
/// </summary>
public static class DeadlineStorm
{
    public const string Workflow = """
        id: storm
        version: 1
        questionnaire: uitvoeringstoets
        steps:
          - { id: routeren, type: route, next: uitnodigen }
          - { id: uitnodigen, type: invite, window: P1D, next: verzamelen }
          - { id: verzamelen, type: collect, next: samenvatten }
          - { id: samenvatten, type: synthesise, next: rapporteren }
          - { id: rapporteren, type: render, next: publiceren }
          - { id: publiceren, type: publish, next: einde }
          - { id: einde, type: end }
        """;

    public static async Task RunSqliteAsync(int reviews)
    {
        await using var ws = await CreateAsync("storm", TimeProvider.System, new Dictionary<string, string?> { ["Worker:PollInterval"] = "00:00:01" });
        Directory.CreateDirectory(ws.Workspace.WorkflowsDirectory);
        File.WriteAllText(Path.Combine(ws.Workspace.WorkflowsDirectory, "storm.yaml"), Workflow);
        await ws.SeedAsync(3);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < reviews; i++)
        {
            Require(await ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("storm.yaml", Draft(), "storm", false, "bench", default)));
        }
        Console.WriteLine($"[storm sqlite] started {reviews} reviews (3 municipalities each) in {watch.Elapsed.TotalSeconds:0.0} s");

        // Every deadline in the same second, a little ahead: the worker re-arms the triggers from these rows.
        var second = DateTimeOffset.UtcNow.AddSeconds(10);
        await MoveDeadlinesAsync(ws, second);
        await using var worker = new WorkerHost(ws.Services, ws.Workspace);
        watch.Restart();
        await worker.StartAsync(default);
        Console.WriteLine($"[storm sqlite] worker started (re-armed {reviews} triggers) in {watch.Elapsed.TotalSeconds:0.0} s; deadline in {(second - DateTimeOffset.UtcNow).TotalSeconds:0.0} s");

        var drained = await WaitForAllPublishedAsync(ws, reviews, second);
        Console.WriteLine($"[storm sqlite] {reviews} rounds closed, reports committed and tagged {drained.TotalSeconds:0.00} s after the deadline ({reviews / drained.TotalSeconds:0} /s)");
        await VerifyAsync(ws, reviews);
    }

    /// <summary>The same rounds closed one after another by calling the timer use case directly: the work without Quartz.</summary>
    public static async Task RunSequentialAsync(int reviews)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ws = await CreateAsync("storm-seq", clock);
        Directory.CreateDirectory(ws.Workspace.WorkflowsDirectory);
        File.WriteAllText(Path.Combine(ws.Workspace.WorkflowsDirectory, "storm.yaml"), Workflow);
        await ws.SeedAsync(3);
        for (var i = 0; i < reviews; i++)
        {
            Require(await ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("storm.yaml", Draft(), "storm", false, "bench", default)));
        }
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
