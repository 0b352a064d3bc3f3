using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Reviews;
using Wetstoets.Features.Timers;
using Wetstoets.Workflows;
using static Wetstoets.Benchmarks.BenchWorkspace;

namespace Wetstoets.Benchmarks;

/// <summary>
/// A national round: 342 municipalities invited, 342 responses through the intake use case, then the
/// deadline: synthesis, render and a tagged commit. Durable SQLite (WAL, synchronous=FULL) throughout.
/// </summary>
public static class NationalRound
{
    private const int Municipalities = 342;

    public static async Task RunAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ws = await CreateAsync("national", clock);
        await ws.SeedAsync(Municipalities);
        // The first round of a process pays for warming up (template parsing, JIT, creating the repository);
        // a worker that runs for months pays that once, so the second round is the steady state.
        await RoundAsync(ws, clock, "cold");
        await RoundAsync(ws, clock, "warm");
    }

    private static async Task RoundAsync(BenchWorkspace ws, FakeTimeProvider clock, string label)
    {
        var watch = Stopwatch.StartNew();
        var reviewId = Require(await ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("bench.yaml", Draft(), null, false, "bench", default))).ReviewId;
        Console.WriteLine($"[{label}] start (route + {Municipalities} invitations to the outbox): {watch.Elapsed.TotalMilliseconds,8:0} ms");

        var random = new Random(342);
        watch.Restart();
        for (var i = 1; i <= Municipalities; i++)
        {
            var answers = new Dictionary<string, string>
            {
                ["oordeel"] = random.Next(3) switch { 0 => "uitvoerbaar", 1 => "uitvoerbaar-mits", _ => "niet-uitvoerbaar" },
                ["kosten-eenmalig"] = $"€ {random.Next(1, 200)}.{random.Next(100, 999)},50",
                ["past-bij-taken"] = random.Next(1, 6).ToString(CultureInfo.InvariantCulture),
                ["fte"] = "1,5",
                ["toelichting"] = "Uitvoerbaar met aanpassingen.",
                ["citeren"] = random.Next(2) == 0 ? "ja" : "nee",
            };
            var submission = new ResponseSubmission($"GM{i:D4}", answers, new Dictionary<string, string>(), new Dictionary<string, string>());
            Require(await ws.Use<SubmitResponse, Result<SubmittedResponse>>(u => u.ExecuteAsync(reviewId, submission, "bench", "bench", null, default)));
        }
        var intake = Municipalities / watch.Elapsed.TotalSeconds;
        // The disk's durable commit rate drifts between runs: measure it right next to the intake.
        var rawRate = RawDurableCommitsPerSecond(Path.Combine(ws.Folder, $"raw-{label}.db"), 2000);
        Console.WriteLine($"[{label}] raw durable single-row SQLite commits: {rawRate,8:0} /s");
        Console.WriteLine($"[{label}] responses accepted (durable, via use case): {intake,8:0} /s  ({intake / rawRate:P0} of the raw rate)");

        var deadline = await ws.Query(db => db.Timers.Where(t => t.ReviewId == reviewId && t.Kind == TimerKind.Deadline).SingleAsync());
        foreach (var reminder in await ws.Query(db => db.Timers.Where(t => t.ReviewId == reviewId && t.Kind == TimerKind.Reminder).ToListAsync()))
        {
            clock.SetUtcNow(reminder.DueAt);
            await ws.Use<FireTimer, RunOutcome>(u => u.ExecuteAsync(reminder.Id, default));
        }
        clock.SetUtcNow(deadline.DueAt);
        watch.Restart();
        await ws.Use<FireTimer, RunOutcome>(u => u.ExecuteAsync(deadline.Id, default));
        var toCommit = watch.Elapsed;
        var tag = await ws.Query(db => db.ReportVersions.Where(v => v.ReviewId == reviewId).Select(v => v.Tag).SingleAsync());
        Console.WriteLine($"[{label}] deadline to tagged commit ({tag}):   {toCommit.TotalMilliseconds,8:0} ms");
    }

    /// <summary>The ceiling for durable intake on this disk: one row, one transaction, WAL with synchronous=FULL.</summary>
    private static double RawDurableCommitsPerSecond(string path, int rows)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT);";
            setup.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (payload) VALUES ($p)";
        var parameter = insert.Parameters.Add("$p", SqliteType.Text);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < rows; i++)
        {
            parameter.Value = "{\"oordeel\":\"uitvoerbaar\"}";
            insert.ExecuteNonQuery();
        }
        return rows / watch.Elapsed.TotalSeconds;
    }
}
