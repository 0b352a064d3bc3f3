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
    public async Task A_README_rendered_ahead_is_rendered_again_when_another_process_published_in_between()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _ws.StartAsync(workflow: "direct"));
        }
        var deadlines = await _ws.Db(db => db.Timers.Where(t => t.Kind == TimerKind.Deadline).ToDictionaryAsync(t => t.ReviewId, t => t.Id));
        _ws.Clock.Advance(TimeSpan.FromDays(2));

        // This process publishes the first: its queue expects the next README to list the first and the next.
        Assert.Equal(RunOutcome.Advanced, await _ws.FireAsync(deadlines[ids[0]]));
        await using (var other = _ws.AnotherProcess())
        {
            Assert.Equal(RunOutcome.Advanced, await other.FireAsync(deadlines[ids[1]]));
        }
        Assert.Equal(RunOutcome.Advanced, await _ws.FireAsync(deadlines[ids[2]]));

        var readme = Git.Run(_ws.Reports, "show", $"{ids[2]}-v1:README.md");
        Assert.All(ids, id => Assert.Contains(id, readme, StringComparison.Ordinal));
        Assert.Equal(readme, File.ReadAllText(Path.Combine(_ws.Reports, "README.md")));
        var numbers = await _ws.Db(db => db.ReportVersions.OrderBy(v => v.PublicationNumber).Select(v => v.ReviewId).ToListAsync());
        Assert.Equal(ids, numbers);
    }

    [Fact]
    public async Task The_same_version_asked_for_twice_in_one_batch_is_one_commit_and_one_publisher_is_told_it_published_it()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _ws.StartAsync(workflow: "direct"));
        }
        var deadlines = await _ws.Db(db => db.Timers.Where(t => t.Kind == TimerKind.Deadline).Select(t => t.Id).ToListAsync());
        _ws.Clock.Advance(TimeSpan.FromDays(2));

        var held = await _ws.Services.GetRequiredService<IPublishLock>().AcquireAsync(default);
        var closing = deadlines.Select(id => Task.Run(() => _ws.FireAsync(id))).ToList();
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (await _ws.Db(db => db.ReportVersions.CountAsync()) < 3)
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(30), "the rounds did not render");
            await Task.Delay(50);
        }
        // Two replays of the second review's publication (`report publish`, twice) race the run that is waiting.
        var review = await _ws.ReviewAsync(ids[1]);
        var replays = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var scope = _ws.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ReportPublisher>().PublishAsync(review, 1, _ws.Clock.GetUtcNow(), default);
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await held.DisposeAsync();
        Assert.All(await Task.WhenAll(closing).WaitAsync(TimeSpan.FromSeconds(30)), outcome => Assert.Equal(RunOutcome.Advanced, outcome));
        var replayed = await Task.WhenAll(replays).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, Git.Run(_ws.Reports, "log", "--format=%s").Trim().Split('\n').Length);
        var recorded = await _ws.Db(db => db.ReportVersions.SingleAsync(v => v.ReviewId == ids[1]));
        Assert.Equal(Git.Run(_ws.Reports, "rev-list", "-n", "1", $"{ids[1]}-v1").Trim(), recorded.CommitSha);
        Assert.All(replayed, r => Assert.Equal(recorded.CommitSha, r.Version.CommitSha));
        // One version, one publisher told it published it: at most one of the replays, none when the run was first.
        Assert.InRange(replayed.Count(r => r.ByThisCall), 0, 1);
    }
}
