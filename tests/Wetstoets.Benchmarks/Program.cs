using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Wetstoets.Cli.Hosting;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Municipalities;
using Wetstoets.Features.Panels;
using Wetstoets.Features.Reviews;
using Wetstoets.Features.Timers;
using Wetstoets.Hosting;
using Wetstoets.Persistence;
using Wetstoets.Storage;

// A national round: 342 municipalities invited, 342 responses through the intake use case, then the
// deadline: synthesis, render and a tagged commit. Durable SQLite (WAL, synchronous=FULL) throughout.
const int Municipalities = 342;
var folder = Path.Combine(Path.GetTempPath(), $"wt-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
Console.WriteLine($"Wetstoets national-round benchmark, {Environment.ProcessorCount} cores, {folder}");


var workspace = new Workspace(folder, AppContext.BaseDirectory);
var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
await using var services = Services.Build(workspace, WorkspaceConfiguration.Load(workspace), clock: clock);
await using (var scope = services.CreateAsyncScope())
{
    await StorageSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>(), default);
}

var csv = new StringBuilder("code,name,province,population\n");
var panel = new StringBuilder("panels:\n  - id: landelijk\n    domains: [participatie]\n    members:\n");
for (var i = 1; i <= Municipalities; i++)
{
    // Populations spread over every size class.
    csv.Append(CultureInfo.InvariantCulture, $"GM{i:D4},Gemeente {i},Provincie,{5_000 + i * 1_700}\n");
    panel.Append(CultureInfo.InvariantCulture, $"      - municipality: GM{i:D4}\n        contacts: [{{ name: Contact {i}, email: c{i}@gemeente{i}.example }}]\n");
}
Require(await Use<ImportMunicipalities, Result<ImportedMunicipalities>>(u => u.ExecuteAsync("bench.csv", csv.ToString(), "bench", default)));
Require(await Use<ImportPanels, Result<ImportedPanels>>(u => u.ExecuteAsync("bench.yaml", panel.ToString(), "bench", default)));

var draft = """
    title: Benchmarkwijziging
    law: { id: participatiewet, name: Participatiewet }
    domains: [participatie]
    summary: Landelijke ronde.
    changes:
      - { id: art-31, article: Artikel 31, summary: Vrijlating }
    """;
// The first round of a process pays for warming up (template parsing, JIT, creating the repository);
// a worker that runs for months pays that once, so the second round is the steady state.
await NationalRoundAsync("cold");
await NationalRoundAsync("warm");

async Task NationalRoundAsync(string label)
{
    var watch = Stopwatch.StartNew();
    var reviewId = Require(await Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("bench.yaml", draft, null, false, "bench", default))).ReviewId;
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
        Require(await Use<SubmitResponse, Result<SubmittedResponse>>(u => u.ExecuteAsync(reviewId, submission, "bench", "bench", null, default)));
    }
    var intake = Municipalities / watch.Elapsed.TotalSeconds;
    // The disk's durable commit rate drifts between runs: measure it right next to the intake.
    var rawRate = RawDurableCommitsPerSecond(Path.Combine(folder, $"raw-{label}.db"), 2000);
    Console.WriteLine($"[{label}] raw durable single-row SQLite commits: {rawRate,8:0} /s");
    Console.WriteLine($"[{label}] responses accepted (durable, via use case): {intake,8:0} /s  ({intake / rawRate:P0} of the raw rate)");

    var deadline = await Query(db => db.Timers.Where(t => t.ReviewId == reviewId && t.Kind == TimerKind.Deadline).SingleAsync());
    foreach (var reminder in await Query(db => db.Timers.Where(t => t.ReviewId == reviewId && t.Kind == TimerKind.Reminder).ToListAsync()))
    {
        clock.SetUtcNow(reminder.DueAt);
        await Use<FireTimer, Wetstoets.Workflows.RunOutcome>(u => u.ExecuteAsync(reminder.Id, default));
    }
    clock.SetUtcNow(deadline.DueAt);
    watch.Restart();
    await Use<FireTimer, Wetstoets.Workflows.RunOutcome>(u => u.ExecuteAsync(deadline.Id, default));
    var toCommit = watch.Elapsed;
    var tag = await Query(db => db.ReportVersions.Where(v => v.ReviewId == reviewId).Select(v => v.Tag).SingleAsync());
    Console.WriteLine($"[{label}] deadline to tagged commit ({tag}):   {toCommit.TotalMilliseconds,8:0} ms");
}

SqliteConnection.ClearAllPools();
Directory.Delete(folder, recursive: true);
return 0;

async Task<T> Use<TUseCase, T>(Func<TUseCase, Task<T>> action) where TUseCase : notnull
{
    await using var scope = services.CreateAsyncScope();
    return await action(scope.ServiceProvider.GetRequiredService<TUseCase>());
}

async Task<T> Query<T>(Func<WetstoetsDbContext, Task<T>> query)
{
    await using var scope = services.CreateAsyncScope();
    return await query(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>());
}

static T Require<T>(Result<T> result) =>
    result.IsSuccess ? result.Value! : throw new InvalidOperationException(string.Join("; ", result.Problems.Select(p => p.Message)));

// The ceiling for durable intake on this disk: one row, one transaction, WAL with synchronous=FULL.
static double RawDurableCommitsPerSecond(string path, int rows)
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
