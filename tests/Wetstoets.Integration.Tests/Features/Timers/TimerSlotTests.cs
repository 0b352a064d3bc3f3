using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Wetstoets.Domain;
using Wetstoets.Features.Timers;
using Wetstoets.Integration.Tests.Support;
using Wetstoets.Storage.Scheduling;

namespace Wetstoets.Integration.Tests.Features.Timers;

public sealed class SqliteTimerSlotTests() : TimerSlotTests("sqlite");

public sealed class PostgresTimerSlotTests() : TimerSlotTests("postgres");

/// <summary>Timers due in the same second share a trigger per shard; the slot fires each of its timers once.</summary>
public abstract class TimerSlotTests(string provider) : IAsyncLifetime
{
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await TestWorkspace.CreateAsync(provider: provider);
        await _ws.SeedAsync();
        // Rounds without reminders or quorum: each closes at its deadline, publishes and ends.
        Directory.CreateDirectory(_ws.Workspace.WorkflowsDirectory);
        File.WriteAllText(Path.Combine(_ws.Workspace.WorkflowsDirectory, "direct.yaml"), DirectWorkflow);
    }

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    [Fact]
    public void A_timer_belongs_to_the_second_it_is_due_in_rounded_up_and_to_its_review_shard()
    {
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        TimerSlot Slot(DateTimeOffset due) => TimerSlot.Of(new ReviewTimer { Id = "t", ReviewId = "WT-2026-0001", Kind = TimerKind.Deadline, DueAt = due });

        Assert.Equal(at, Slot(at).At);
        Assert.Equal(at.AddSeconds(1), Slot(at.AddMilliseconds(1)).At);
        Assert.Equal(at, Slot(at.ToOffset(TimeSpan.FromHours(1))).At);
        Assert.Equal(Slot(at), TimerSlot.Parse(Slot(at).Key.Name));
        // The shard is fixed per review: every process and release must agree on it.
        Assert.Equal([1, 8, 11, 10], new[] { "WT-2026-0001", "WT-2026-0002", "WT-2026-0003", "WT-2026-0004" }.Select(TimerSlot.ShardOf));
    }

    [Fact]
    public async Task Deadlines_in_the_same_second_share_one_trigger_per_shard_until_none_of_that_second_is_pending()
    {
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await _ws.StartAsync(workflow: "direct"));
        }
        var scheduler = await _ws.Services.GetRequiredService<SchedulerProvider>().GetAsync(default);
        var slots = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(TimerSlot.Group));
        // Started at the same moment: their deadlines share a trigger per shard in use, and twelve reviews share
        // some of the sixteen shards.
        var shards = ids.Select(TimerSlot.ShardOf).Distinct().Count();
        Assert.InRange(shards, 2, ids.Count - 1);
        Assert.Equal(shards, slots.Count);

        // Reviews ending take the triggers of their timers along once no timer of that second is pending: the
        // slot of a review stays while a later review in the same shard still waits for it.
        var first = ids.First(id => ids.Count(other => TimerSlot.ShardOf(other) == TimerSlot.ShardOf(id)) > 1);
        var last = ids.Last(id => TimerSlot.ShardOf(id) == TimerSlot.ShardOf(first));
        var deadline = TimerSlot.Of((await _ws.PendingTimersAsync(first)).Single(t => t.Kind == TimerKind.Deadline));
        foreach (var id in ids)
        {
            var waiting = ids.IndexOf(id) <= ids.IndexOf(last);
            Assert.Equal(waiting, await scheduler.GetJobDetail(deadline.Key) is not null);
            await _ws.PassDeadlineAsync(id);
        }
        Assert.Empty(await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(TimerSlot.Group)));
    }

    [Fact]
    public async Task A_running_scheduler_fires_every_timer_of_a_slot_once_also_when_the_slot_is_armed_again()
    {
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await _ws.StartAsync(workflow: "direct"));
        }
        // Every deadline two seconds from now on the wall clock, which Quartz keeps; the workspace's clock follows.
        var now = DateTimeOffset.UtcNow;
        var due = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)).AddSeconds(2);
        _ws.Clock.SetUtcNow(due);
        var deadlines = await _ws.Db(async db =>
        {
            await db.Rounds.ExecuteUpdateAsync(r => r.SetProperty(x => x.Deadline, due));
            await db.Timers.Where(t => t.Kind == TimerKind.Deadline).ExecuteUpdateAsync(t => t.SetProperty(x => x.DueAt, due));
            return await db.Timers.AsNoTracking().Where(t => t.Kind == TimerKind.Deadline).ToListAsync();
        });
        var provider = _ws.Services.GetRequiredService<SchedulerProvider>();
        var scheduler = await provider.GetAsync(default);
        await scheduler.Clear();
        await _ws.Use<RecoverReviews, (int, int)>(u => u.ExecuteAsync(default));
        Assert.Equal(ids.Select(TimerSlot.ShardOf).Distinct().Count(), (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(TimerSlot.Group))).Count);

        await provider.StartAsync(default);
        await WaitForAsync(() => _ws.Db(db => db.ReportVersions.CountAsync(v => v.PublishedAt != null)), ids.Count);
        // Armed again after they fired (a sweep, a restart): the slots fire again and find nothing to do.
        var jobs = Task.Run(async () =>
        {
            await _ws.Services.GetRequiredService<Wetstoets.Ports.ITimerScheduler>().ScheduleAsync(deadlines, default);
            while ((await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(TimerSlot.Group))).Count > 0)
            {
                await Task.Delay(100);
            }
        });
        await jobs.WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var id in ids)
        {
            Assert.Equal(1, await _ws.Db(db => db.Audit.CountAsync(a => a.Subject == id && a.Action == "round-closed")));
            Assert.Equal(1, await _ws.Db(db => db.ReportVersions.CountAsync(v => v.ReviewId == id && v.PublishedAt != null)));
        }
    }

    private static readonly string DirectWorkflow = TestWorkflows.Direct("direct");

    private static async Task WaitForAsync(Func<Task<int>> count, int expected)
    {
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (await count() < expected)
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(60), $"waited a minute for {expected}");
            await Task.Delay(100);
        }
    }
}
