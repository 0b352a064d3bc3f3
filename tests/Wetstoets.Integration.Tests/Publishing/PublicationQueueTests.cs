using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wetstoets.Domain;
using Wetstoets.Integration.Tests.Support;
using Wetstoets.Ports;
using Wetstoets.Reports;
using Wetstoets.Workflows;

namespace Wetstoets.Integration.Tests.Publishing;

/// <summary>Rounds closing at the same time publish together: a commit, tag and README each, one checkout per batch.</summary>
public sealed class PublicationQueueTests : IAsyncLifetime
{
    private const int Reviews = 5;
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await TestWorkspace.CreateAsync();
        await _ws.SeedAsync();
        Directory.CreateDirectory(_ws.Workspace.WorkflowsDirectory);
        File.WriteAllText(Path.Combine(_ws.Workspace.WorkflowsDirectory, "direct.yaml"), TestWorkflows.Direct("direct"));
    }

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    [Fact]
    public async Task Versions_that_wait_for_the_repository_go_in_together_each_with_the_index_of_the_versions_before_it()
    {
        var ids = new List<string>();
        for (var i = 0; i < Reviews; i++)
        {
            ids.Add(await _ws.StartAsync(workflow: "direct"));
        }
        var deadlines = await _ws.Db(db => db.Timers.Where(t => t.Kind == TimerKind.Deadline).Select(t => t.Id).ToListAsync());
        _ws.Clock.Advance(TimeSpan.FromDays(2));

        // Someone else publishes (another process): every round closes and renders, then waits for the repository.
        var held = await _ws.Services.GetRequiredService<IPublishLock>().AcquireAsync(default);
        var closing = deadlines.Select(id => Task.Run(() => _ws.FireAsync(id))).ToList();
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (await _ws.Db(db => db.ReportVersions.CountAsync()) < Reviews)
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(30), "the rounds did not render");
            await Task.Delay(50);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(closing, c => Assert.False(c.IsCompleted));
        await held.DisposeAsync();
        Assert.All(await Task.WhenAll(closing), outcome => Assert.Equal(RunOutcome.Advanced, outcome));

        // Those that came while the first waited for the lock went together with it, or right after it: at most
        // two moves of the branch for five versions.
        var log = Git.Run(_ws.Reports, "log", "--reverse", "--format=%s").Trim().Split('\n');
        Assert.Equal(Reviews, log.Length);
        Assert.InRange(Git.Run(_ws.Reports, "reflog", "--format=%gs", "main").Trim().Split('\n').Length, 1, 2);
        var order = log.Select(line => line.Split(' ')[0]).ToList();
        Assert.Equal(ids.Order(), order.Order());
        for (var i = 0; i < Reviews; i++)
        {
            var readme = Git.Run(_ws.Reports, "show", $"{order[i]}-v1:README.md");
            Assert.All(order.Take(i + 1), id => Assert.Contains(id, readme, StringComparison.Ordinal));
            Assert.All(order.Skip(i + 1), id => Assert.DoesNotContain(id, readme, StringComparison.Ordinal));
        }
        var numbers = await _ws.Db(db => db.ReportVersions.OrderBy(v => v.PublicationNumber).Select(v => new { v.ReviewId, v.PublicationNumber }).ToListAsync());
        Assert.Equal(order, numbers.Select(n => n.ReviewId));
        Assert.Equal(Enumerable.Range(1, Reviews), numbers.Select(n => n.PublicationNumber!.Value));
        Assert.Equal("", Git.Run(_ws.Reports, "status", "--porcelain").Trim());
    }

    [Fact]
    public async Task The_same_version_asked_for_twice_in_one_batch_is_one_commit_for_both()
    {
        var queue = _ws.Services.GetRequiredService<PublicationQueue>();
        PublicationQueue.Request Request(string review) => new(
            new ReportPublication(review, 1, "Titel", "participatiewet", new Dictionary<string, string> { [$"participatiewet/{review}/rapport.md"] = $"# {review}\n" }),
            new IndexRow(review, "participatiewet", "Titel", 1, null, "–", $"participatiewet/{review}", IsDemo: false));

        var held = await _ws.Services.GetRequiredService<IPublishLock>().AcquireAsync(default);
        var first = queue.PublishAsync(Request("WT-2026-0001"), default);
        var asking = new[] { Request("WT-2026-0002"), Request("WT-2026-0002"), Request("WT-2026-0003") }.Select(r => queue.PublishAsync(r, default)).ToList();
        await held.DisposeAsync();
        // Each publisher gives its share of the lock back as soon as it has its version, as after its commit.
        var outcomes = await Task.WhenAll(asking.Prepend(first).Select(async asked =>
        {
            var outcome = await asked;
            await outcome.Share.DisposeAsync();
            return outcome;
        })).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(outcomes[1].Version.CommitSha, outcomes[2].Version.CommitSha);
        Assert.Equal(["WT-2026-0003 v1: Titel", "WT-2026-0002 v1: Titel", "WT-2026-0001 v1: Titel"], Git.Run(_ws.Reports, "log", "--format=%s").Trim().Split('\n'));
    }
}
