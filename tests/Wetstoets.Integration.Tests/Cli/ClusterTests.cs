using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wetstoets.Cli.Hosting;
using Wetstoets.Domain;
using Wetstoets.Features.Municipalities;
using Wetstoets.Features.Panels;
using Wetstoets.Features.Reviews;
using Wetstoets.Hosting;
using Wetstoets.Integration.Tests.Support;
using Wetstoets.Persistence;
using Wetstoets.Storage;

namespace Wetstoets.Integration.Tests.Cli;

/// <summary>
/// Two <c>wetstoets worker</c> processes against one PostgreSQL database share the timers of a storm of
/// deadlines. One is killed in the middle of it; the other takes over its triggers. Every round closes exactly
/// once, every reminder goes out at most once, every report is committed and tagged once.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private const int Reviews = 30;
    private static readonly string Workflow = TestWorkflows.Direct("storm", ", reminders: { offsets: [-PT5S], max: 1 }");

    private readonly string _data = TestWorkspace.NewFolder("wt-cluster");
    private readonly List<(Process Process, StringBuilder Output)> _workers = [];
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var connectionString = PostgresServer.NewDatabase();
        File.WriteAllText(Path.Combine(_data, "wetstoets.json"), JsonSerializer.Serialize(new
        {
            Storage = new { Provider = "postgres", ConnectionString = connectionString },
            Worker = new { PollInterval = "00:00:01" },
        }));
        Directory.CreateDirectory(Path.Combine(_data, "workflows"));
        File.WriteAllText(Path.Combine(_data, "workflows", "storm.yaml"), Workflow);
        var workspace = new Workspace(_data, AppContext.BaseDirectory);
        _services = Services.Build(workspace, WorkspaceConfiguration.Load(workspace));
        await using var scope = _services.CreateAsyncScope();
        await StorageSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>(), default);
        var csv = TestWorkspace.Sample("municipalities.csv");
        TestWorkspace.Ok(await scope.ServiceProvider.GetRequiredService<ImportMunicipalities>().ExecuteAsync(csv, File.ReadAllText(csv), "test", default));
        TestWorkspace.Ok(await scope.ServiceProvider.GetRequiredService<ImportPanels>().ExecuteAsync("p.yaml", """
            panels:
              - id: steden
                domains: [participatie]
                members:
                  - { municipality: GM0363, contacts: [{ name: A, email: a@amsterdam.example }] }
                  - { municipality: GM0599, contacts: [{ name: R, email: r@rotterdam.example }] }
                  - { municipality: GM0518, contacts: [{ name: H, email: h@denhaag.example }] }
            """, "test", default));
    }

    [Fact]
    public async Task Two_workers_share_a_storm_of_deadlines_and_a_killed_one_loses_nothing_and_doubles_nothing()
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        var draft = File.ReadAllText(TestWorkspace.Sample("draft-v1.yaml"))
            + $"deadline: {deadline.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}\n";
        var ids = new List<string>();
        for (var i = 0; i < Reviews; i++)
        {
            await using var scope = _services.CreateAsyncScope();
            ids.Add(TestWorkspace.Ok(await scope.ServiceProvider.GetRequiredService<StartReview>().ExecuteAsync("d.yaml", draft, "storm", false, "test", default)).ReviewId);
        }
        Assert.True(DateTimeOffset.UtcNow < deadline.AddSeconds(-6), "starting the reviews took too long for the storm to come after it");

        var first = StartWorker();
        StartWorker();
        await WaitUntil(async () => await CountAsync(db => db.ReportVersions.CountAsync(v => v.PublishedAt != null)) >= 2, TimeSpan.FromSeconds(90));
        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        var publishedAtKill = await CountAsync(db => db.ReportVersions.CountAsync(v => v.PublishedAt != null));
        Assert.True(publishedAtKill < Reviews, "the storm was over before a worker could be killed in the middle of it");

        // The survivor fires its own triggers and, once the cluster sees the dead node, recovers the dead one's.
        await WaitUntil(async () => await CountAsync(db => db.Reviews.CountAsync(r => r.State == ReviewState.Closed)) == Reviews, TimeSpan.FromSeconds(120));

        foreach (var id in ids)
        {
            Assert.Equal(1, await CountAsync(db => db.Audit.CountAsync(a => a.Subject == id && a.Action == "round-closed")));
            Assert.Equal(1, await CountAsync(db => db.History.CountAsync(h => h.ReviewId == id && h.StepId == "publiceren")));
            Assert.True(await CountAsync(db => db.Audit.CountAsync(a => a.Subject == id && a.Action == "reminded")) <= 1);
            Assert.True(await CountAsync(db => db.Invitations.Where(i => i.ReviewId == id).MaxAsync(i => i.RemindersSent)) <= 1);
            // Mail files as they went out: the invitation and at most one reminder per municipality.
            var mails = Directory.GetFiles(Path.Combine(_data, "outbox", id, "1"), "*.eml").Select(Path.GetFileNameWithoutExtension).ToList();
            Assert.All(mails, m => Assert.Matches("^GM0(363|599|518)-[12]$", m));
        }
        var reports = Path.Combine(_data, "reports");
        Assert.Equal(Reviews.ToString(CultureInfo.InvariantCulture), Git.Run(reports, "rev-list", "--count", "HEAD").Trim());
        Assert.Equal(ids.Select(id => id + "-v1").Order(StringComparer.Ordinal), Git.Run(reports, "tag", "-l").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Equal("", Git.Run(reports, "status", "--porcelain").Trim());
    }

    private Process StartWorker()
    {
        var output = new StringBuilder();
        var worker = CliProcess.Start(_data, output, "worker");
        _workers.Add((worker, output));
        return worker;
    }

    private async Task<int> CountAsync(Func<WetstoetsDbContext, Task<int>> query)
    {
        await using var scope = _services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>());
    }

    private async Task WaitUntil(Func<Task<bool>> condition, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < patience, $"not reached within {patience.TotalSeconds} s; worker output:\n{string.Join("\n---\n", _workers.Select(w => w.Output.ToString()))}");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (worker, _) in _workers.Where(w => !w.Process.HasExited))
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
        await _services.DisposeAsync();
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
