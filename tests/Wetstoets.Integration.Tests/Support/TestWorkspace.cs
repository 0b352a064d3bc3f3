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
using Wetstoets.Questionnaires;
using Wetstoets.Storage;
using Wetstoets.Workflows;

namespace Wetstoets.Integration.Tests.Support;

/// <summary>
/// A real workspace in a temporary folder: SQLite file, Git repository, outbox, the product's workflows and
/// templates. The clock is fake, so a test moves through a round's reminders and deadline in no time;
/// the timers are fired through the same use case a Quartz trigger calls.
/// </summary>
public sealed class TestWorkspace : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private readonly bool _ownsFolder;

    private TestWorkspace(string folder, FakeTimeProvider clock, ServiceProvider services, IReadOnlyDictionary<string, string?>? settings, bool ownsFolder)
    {
        Folder = folder;
        Clock = clock;
        Services = services;
        _settings = settings;
        _ownsFolder = ownsFolder;
    }

    public string Folder { get; }
    public FakeTimeProvider Clock { get; }
    public ServiceProvider Services { get; }
    public Workspace Workspace => Services.GetRequiredService<Workspace>();
    public string Reports => Workspace.ReportsDirectory;

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    public static string NewFolder(string prefix = "wt-test")
    {
        var folder = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static async Task<TestWorkspace> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null, string provider = "sqlite")
    {
        var folder = NewFolder();
        if (provider == "postgres")
        {
            settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["Storage:Provider"] = "postgres",
                ["Storage:ConnectionString"] = PostgresServer.NewDatabase(),
            };
        }
        var workspace = new Workspace(folder, AppContext.BaseDirectory);
        // A whole second: PostgreSQL keeps microseconds, so a clock with 100 ns ticks would make
        // "deadline - now" differ from the window by a few ticks after a round trip.
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
        var services = Wetstoets.Cli.Hosting.Services.Build(workspace, WorkspaceConfiguration.Load(workspace, settings), clock: clock);
        await using (var scope = services.CreateAsyncScope())
        {
            await StorageSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>(), default);
        }
        return new TestWorkspace(folder, clock, services, settings, ownsFolder: true);
    }

    /// <summary>
    /// The same workspace, database and clock as another process sees them: its own services, so nothing it
    /// keeps in memory (caches, the report repository's last commit) is shared with this one.
    /// </summary>
    public TestWorkspace AnotherProcess()
    {
        var workspace = new Workspace(Folder, AppContext.BaseDirectory);
        var services = Wetstoets.Cli.Hosting.Services.Build(workspace, WorkspaceConfiguration.Load(workspace, _settings), clock: Clock);
        return new TestWorkspace(Folder, Clock, services, _settings, ownsFolder: false);
    }

    public async Task<T> Use<TUseCase, T>(Func<TUseCase, Task<T>> action) where TUseCase : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TUseCase>());
    }

    public async Task<T> Db<T>(Func<WetstoetsDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>());
    }

    /// <summary>Imports the sample register and panel (59 municipalities, all size classes).</summary>
    public async Task SeedAsync()
    {
        var csv = Sample("municipalities.csv");
        Ok(await Use<ImportMunicipalities, Result<ImportedMunicipalities>>(u => u.ExecuteAsync(csv, File.ReadAllText(csv), "test", default)));
        var panels = Sample("panels.yaml");
        Ok(await Use<ImportPanels, Result<ImportedPanels>>(u => u.ExecuteAsync(panels, File.ReadAllText(panels), "test", default)));
    }

    public async Task<string> StartAsync(string? draftYaml = null, string? workflow = null)
    {
        var yaml = draftYaml ?? File.ReadAllText(Sample("draft-v1.yaml"));
        var started = Ok(await Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("draft.yaml", yaml, workflow, isDemo: false, "test", default)));
        Assert.Equal(RunOutcome.Advanced, started.Outcome);
        return started.ReviewId;
    }

    public Task<Result<SubmittedResponse>> SubmitAsync(string reviewId, string responseYaml) =>
        Use<SubmitResponse, Result<SubmittedResponse>>(u => u.ExecuteAsync(reviewId, Ok(ResponseReader.Read("response.yaml", responseYaml)), "cli", "test", null, default));

    public Task<List<ReviewTimer>> PendingTimersAsync(string reviewId) =>
        Db(db => db.Timers.AsNoTracking().Where(t => t.ReviewId == reviewId && t.FiredAt == null && t.CancelledAt == null).OrderBy(t => t.DueAt).ToListAsync());

    public Task<RunOutcome> FireAsync(string timerId) => Use<FireTimer, RunOutcome>(u => u.ExecuteAsync(timerId, default));

    /// <summary>
    /// Moves the clock through the round's timers and fires each when it comes due, as the worker would, until
    /// the round is closed (a missed quorum extends the deadline once).
    /// </summary>
    public async Task PassDeadlineAsync(string reviewId)
    {
        while ((await PendingTimersAsync(reviewId)) is { Count: > 0 } timers && timers.Any(t => t.Kind == TimerKind.Deadline))
        {
            // Each timer at its own moment, as a running worker fires them: reminders before the deadline.
            foreach (var timer in timers)
            {
                Clock.SetUtcNow(timer.DueAt > Clock.GetUtcNow() ? timer.DueAt : Clock.GetUtcNow());
                await FireAsync(timer.Id);
            }
        }
    }

    /// <summary>The workbook an invitation of round one carries, as <see cref="QuestionnaireWorkbook"/> makes it.</summary>
    public Task<byte[]> InvitationWorkbookAsync(string reviewId, string municipalityCode) => Db(async db =>
    {
        var review = await db.Reviews.SingleAsync(r => r.Id == reviewId);
        var draft = await db.Drafts.SingleAsync(d => d.ReviewId == reviewId && d.Version == 1);
        var definition = await DefinitionStore.LoadAsync(db, review.WorkflowId, review.WorkflowVersion, default);
        return QuestionnaireWorkbook.Create(definition.Questionnaire, draft.Changes, reviewId, municipalityCode, 1);
    });

    public Task<Review> ReviewAsync(string reviewId) => Db(db => db.Reviews.AsNoTracking().SingleAsync(r => r.Id == reviewId));

    public static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsSuccess, string.Join("; ", result.Problems.Select(p => p.Message)));
        return result.Value!;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (!_ownsFolder)
        {
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold a file; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
            // Git marks its objects read-only; leave the temp folder to the OS.
        }
    }
}
