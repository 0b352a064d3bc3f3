using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LibGit2Sharp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Reports;
using Wetstoets.Features.Reviews;
using Wetstoets.Features.Timers;
using Wetstoets.Integration.Tests.Support;
using Wetstoets.Storage.Scheduling;
using Wetstoets.Workflows;

namespace Wetstoets.Integration.Tests.Features.Reviews;

/// <summary>The lifecycle on SQLite.</summary>
public sealed class SqliteReviewLifecycleTests() : ReviewLifecycleTests("sqlite");

/// <summary>The same lifecycle on a real PostgreSQL server.</summary>
public sealed class PostgresReviewLifecycleTests() : ReviewLifecycleTests("postgres");

/// <summary>A whole review on a real database and a real Git repository, timers fired by a fake clock.</summary>
public abstract class ReviewLifecycleTests(string provider) : IAsyncLifetime
{
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await TestWorkspace.CreateAsync(provider: provider);
        await _ws.SeedAsync();
    }

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    [Fact]
    public async Task Start_opens_round_one_invites_every_contact_and_arms_deadline_and_reminders()
    {
        var id = await _ws.StartAsync();
        Assert.Matches(@"^WT-\d{4}-0001$", id);
        var review = await _ws.ReviewAsync(id);
        Assert.Equal((ReviewState.Waiting, Bookmarks.Deadline, "verzamelen", 1), (review.State, review.WaitingFor, review.CurrentStepId, review.CurrentRound));

        var (participants, invitations, mails) = await _ws.Db(async db => (
            await db.Participants.CountAsync(p => p.ReviewId == id),
            await db.Invitations.CountAsync(i => i.ReviewId == id),
            await db.OutgoingMails.Where(m => m.ReviewId == id).ToListAsync()));
        Assert.Equal(59, participants);
        Assert.Equal(59, invitations);
        Assert.Equal(59, mails.Count);
        Assert.All(mails, m => Assert.NotNull(m.SentAt));
        Assert.All(mails, m => Assert.Null(m.HtmlBody));
        Assert.Equal(59, Directory.GetFiles(Path.Combine(_ws.Workspace.OutboxDirectory, id, "1"), "*.eml").Length);

        var timers = await _ws.PendingTimersAsync(id);
        Assert.Equal(["reminder", "reminder", "deadline"], timers.Select(t => t.Kind));
        var deadline = timers[^1].DueAt;
        Assert.Equal(TimeSpan.FromDays(42), deadline - _ws.Clock.GetUtcNow());
        Assert.Equal([deadline.AddDays(-7), deadline.AddDays(-2)], timers.Take(2).Select(t => t.DueAt));

        // Armed in the persistent job store too: each in the trigger of its second, never before it is due.
        var scheduler = await _ws.Services.GetRequiredService<SchedulerProvider>().GetAsync(default);
        foreach (var timer in timers)
        {
            var trigger = await scheduler.GetTrigger(new TriggerKey(TimerSlot.Of(timer).Key.Name, TimerSlot.Group));
            Assert.InRange(trigger!.StartTimeUtc - timer.DueAt, TimeSpan.Zero, TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        }
    }

    [Fact]
    public async Task Reminders_go_only_to_municipalities_without_an_answer_and_only_once()
    {
        var id = await _ws.StartAsync();
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363")));
        var reminder = (await _ws.PendingTimersAsync(id)).First(t => t.Kind == TimerKind.Reminder);
        _ws.Clock.SetUtcNow(reminder.DueAt);

        Assert.Equal(RunOutcome.Advanced, await _ws.FireAsync(reminder.Id));
        Assert.Equal(RunOutcome.Ignored, await _ws.FireAsync(reminder.Id));

        var reminders = await _ws.Db(db => db.OutgoingMails.Where(m => m.ReviewId == id && m.Kind == "reminder").ToListAsync());
        Assert.Equal(58, reminders.Count);
        Assert.DoesNotContain(reminders, m => m.MunicipalityCode == "GM0363");
        Assert.True(File.Exists(Path.Combine(_ws.Workspace.OutboxDirectory, id, "1", "GM0599-2.eml")));
        Assert.False(File.Exists(Path.Combine(_ws.Workspace.OutboxDirectory, id, "1", "GM0363-2.eml")));
    }

    [Fact]
    public async Task The_round_never_closes_before_its_deadline_and_closes_exactly_once()
    {
        var id = await _ws.StartAsync();
        var deadline = (await _ws.PendingTimersAsync(id)).Single(t => t.Kind == TimerKind.Deadline);

        // A trigger that fires early (clock skew) is re-armed, not obeyed.
        _ws.Clock.SetUtcNow(deadline.DueAt.AddSeconds(-5));
        await _ws.FireAsync(deadline.Id);
        Assert.Null(await _ws.Db(db => db.Rounds.Where(r => r.ReviewId == id).Select(r => r.ClosedAt).SingleAsync()));

        await _ws.PassDeadlineAsync(id);
        foreach (var timer in await _ws.Db(db => db.Timers.Where(t => t.ReviewId == id).ToListAsync()))
        {
            Assert.Equal(RunOutcome.Ignored, await _ws.FireAsync(timer.Id));
        }
        var closes = await _ws.Db(db => db.Audit.CountAsync(a => a.Subject == id && a.Action == "round-closed"));
        var publications = await _ws.Db(db => db.ReportVersions.CountAsync(v => v.ReviewId == id));
        Assert.Equal((1, 1), (closes, publications));
        var review = await _ws.ReviewAsync(id);
        Assert.Equal((ReviewState.Waiting, Bookmarks.Decision), (review.State, review.WaitingFor));
    }

    [Fact]
    public async Task The_same_deadline_fired_by_four_workers_at_once_closes_the_round_once()
    {
        var id = await _ws.StartAsync();
        // Enough answers for the quorum, so the deadline closes the round instead of extending it.
        var codes = await _ws.Db(db => db.Participants.Where(p => p.ReviewId == id).Select(p => p.MunicipalityCode).Take(30).ToListAsync());
        foreach (var code in codes)
        {
            TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For(code)));
        }
        var deadline = (await _ws.PendingTimersAsync(id)).Single(t => t.Kind == TimerKind.Deadline);
        _ws.Clock.SetUtcNow(deadline.DueAt.AddSeconds(1));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _ws.FireAsync(deadline.Id))));

        Assert.Equal(1, outcomes.Count(o => o == RunOutcome.Advanced));
        Assert.Equal(1, await _ws.Db(db => db.Audit.CountAsync(a => a.Subject == id && a.Action == "round-closed")));
        Assert.Equal(1, await _ws.Db(db => db.History.CountAsync(h => h.ReviewId == id && h.StepId == "publiceren")));
        Assert.Equal("1", Git.Run(_ws.Reports, "rev-list", "--count", "HEAD").Trim());
    }

    [Fact]
    public async Task A_review_left_running_by_a_dead_node_is_carried_on_by_its_recovered_trigger_or_the_sweep()
    {
        var first = await StalledAfterClosingItsRoundAsync();
        // The cluster hands the dead node's trigger to another node: the timer has fired, the review moves on.
        Assert.Equal(RunOutcome.Advanced, await _ws.FireAsync(first.DeadlineId));
        Assert.Equal(RunOutcome.Ignored, await _ws.FireAsync(first.DeadlineId));
        await AssertPublishedOnceAsync(first.ReviewId);

        var second = await StalledAfterClosingItsRoundAsync();
        var sweep = () => _ws.Use<RecoverReviews, (int Timers, int Reviews)>(u => u.ResumeStalledAsync(default));
        Assert.Equal((0, 0), await sweep());   // it may still be moving on another node
        _ws.Clock.Advance(RecoverReviews.StalledAfter + TimeSpan.FromSeconds(1));
        Assert.Equal((0, 1), await sweep());
        Assert.Equal((0, 0), await sweep());
        await AssertPublishedOnceAsync(second.ReviewId);
    }

    [Fact]
    public async Task When_the_clock_jumps_past_reminders_and_deadline_every_overdue_timer_fires_once_and_no_late_reminder_goes_out()
    {
        var id = await _ws.StartAsync();
        var codes = await _ws.Db(db => db.Participants.Where(p => p.ReviewId == id).Select(p => p.MunicipalityCode).Take(30).ToListAsync());
        foreach (var code in codes)
        {
            TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For(code)));
        }
        var timers = await _ws.PendingTimersAsync(id);
        _ws.Clock.SetUtcNow(timers[^1].DueAt.AddDays(3));

        // Quartz fires every overdue trigger at once (misfire: fire now), each possibly twice.
        var outcomes = await Task.WhenAll(timers.Concat(timers).Select(t => Task.Run(() => _ws.FireAsync(t.Id))));

        Assert.Equal(1, await _ws.Db(db => db.Audit.CountAsync(a => a.Subject == id && a.Action == "round-closed")));
        Assert.Equal(0, await _ws.Db(db => db.Invitations.CountAsync(i => i.ReviewId == id && i.RemindersSent > 0)));
        Assert.Equal(0, await _ws.Db(db => db.Audit.CountAsync(a => a.Subject == id && a.Action == "reminded")));
        Assert.Equal(1, await _ws.Db(db => db.History.CountAsync(h => h.ReviewId == id && h.StepId == "publiceren")));
        Assert.Contains(RunOutcome.Advanced, outcomes);
        Assert.Empty(await _ws.PendingTimersAsync(id));
    }

    [Fact]
    public async Task A_timer_whose_trigger_was_lost_is_armed_again_by_the_sweep_once_it_is_overdue()
    {
        var id = await _ws.StartAsync();
        var deadline = (await _ws.PendingTimersAsync(id)).Single(t => t.Kind == TimerKind.Deadline);
        var scheduler = await _ws.Services.GetRequiredService<SchedulerProvider>().GetAsync(default);
        Assert.True(await scheduler.DeleteJob(TimerSlot.Of(deadline).Key));

        _ws.Clock.SetUtcNow(deadline.DueAt + RecoverReviews.StalledAfter + TimeSpan.FromSeconds(1));
        var (timers, _) = await _ws.Use<RecoverReviews, (int Timers, int Reviews)>(u => u.ResumeStalledAsync(default));

        Assert.Equal(3, timers);   // two reminders and the deadline, all overdue
        Assert.NotNull(await scheduler.GetTrigger(new TriggerKey(TimerSlot.Of(deadline).Key.Name, TimerSlot.Group)));
    }

    /// <summary>The state a node leaves when it dies right after the deadline's step committed.</summary>
    private async Task<(string ReviewId, string DeadlineId)> StalledAfterClosingItsRoundAsync()
    {
        var id = await _ws.StartAsync();
        var deadline = (await _ws.PendingTimersAsync(id)).Single(t => t.Kind == TimerKind.Deadline);
        _ws.Clock.SetUtcNow(deadline.DueAt.AddSeconds(1));
        await _ws.Db(async db =>
        {
            var now = _ws.Clock.GetUtcNow();
            (await db.Timers.SingleAsync(t => t.Id == deadline.Id)).FiredAt = now;
            foreach (var reminder in await db.Timers.Where(t => t.ReviewId == id && t.Kind == TimerKind.Reminder).ToListAsync())
            {
                reminder.CancelledAt = now;   // the closing step cancels what is left
            }
            (await db.Rounds.SingleAsync(r => r.ReviewId == id)).ClosedAt = now;
            var review = await db.Reviews.SingleAsync(r => r.Id == id);
            (review.State, review.WaitingFor, review.CurrentStepId, review.UpdatedAt) = (ReviewState.Running, null, "samenvatten", now);
            return await db.SaveChangesAsync();
        });
        return (id, deadline.Id);
    }

    private async Task AssertPublishedOnceAsync(string id)
    {
        var review = await _ws.ReviewAsync(id);
        Assert.Equal((ReviewState.Waiting, Bookmarks.Decision), (review.State, review.WaitingFor));
        Assert.Equal(1, await _ws.Db(db => db.History.CountAsync(h => h.ReviewId == id && h.StepId == "publiceren")));
        Assert.NotNull(await _ws.Db(db => db.ReportVersions.Where(v => v.ReviewId == id).Select(v => v.Tag).SingleAsync()));
    }

    [Fact]
    public async Task Responses_after_the_deadline_are_kept_as_late_and_not_counted()
    {
        var id = await _ws.StartAsync();
        // 30 of 59 answer in time: the quorum is met, so the deadline is not extended.
        var codes = await _ws.Db(db => db.Participants.Where(p => p.ReviewId == id && p.MunicipalityCode != "GM0599")
            .OrderBy(p => p.MunicipalityCode).Select(p => p.MunicipalityCode).Take(30).ToListAsync());
        foreach (var code in codes)
        {
            TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For(code, "niet-uitvoerbaar")));
        }
        var deadline = (await _ws.PendingTimersAsync(id)).Single(t => t.Kind == TimerKind.Deadline);
        _ws.Clock.SetUtcNow(deadline.DueAt);   // exactly at the deadline: too late

        var late = await _ws.SubmitAsync(id, Responses.For("GM0599"));
        Assert.True(late.IsSuccess);
        Assert.True(late.Value!.IsLate);
        Assert.Contains(late.Warnings, w => w.Contains("late", StringComparison.Ordinal));

        await _ws.PassDeadlineAsync(id);
        var data = JsonNode.Parse(await _ws.Db(db => db.ReportVersions.Where(v => v.ReviewId == id).Select(v => v.DataJson).SingleAsync()))!;
        Assert.Equal(30, (int)data["responded"]!);
        Assert.Equal(1, (int)data["late"]!);
        Assert.Equal(30, (int)data["questions"]!["oordeel"]!["counts"]!["niet-uitvoerbaar"]!);
        Assert.Equal(0, (int)data["questions"]!["oordeel"]!["counts"]!["uitvoerbaar"]!);
        Assert.Equal("niet-uitvoerbaar", (string?)data["verdict"]);
    }

    [Fact]
    public async Task A_revision_replaces_the_previous_one_and_all_revisions_are_kept()
    {
        var id = await _ws.StartAsync();
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363", "niet-uitvoerbaar")));
        var second = TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363", "uitvoerbaar")));
        Assert.Equal(2, second.Revision);
        await _ws.PassDeadlineAsync(id);
        var data = JsonNode.Parse(await _ws.Db(db => db.ReportVersions.Where(v => v.ReviewId == id).Select(v => v.DataJson).SingleAsync()))!;
        Assert.Equal(1, (int)data["questions"]!["oordeel"]!["counts"]!["uitvoerbaar"]!);
        Assert.Equal(0, (int)data["questions"]!["oordeel"]!["counts"]!["niet-uitvoerbaar"]!);
        Assert.Equal(2, await _ws.Db(db => db.Responses.CountAsync(r => r.ReviewId == id)));
    }

    [Fact]
    public async Task Two_rounds_give_two_tagged_versions_and_version_two_says_what_changed()
    {
        var id = await _ws.StartAsync();
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363", "niet-uitvoerbaar", toelichting: "<script>alert(1)</script> *vet*", citeren: "ja")));
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0014", "uitvoerbaar-mits", kosten: "40.000", citeren: "nee", toelichting: "Niet citeren a.u.b.")));
        await _ws.PassDeadlineAsync(id);

        var revise = await _ws.Use<DecideReview, Result<int>>(u => u.ReviseAsync(id, "v2.yaml", File.ReadAllText(TestWorkspace.Sample("draft-v2.yaml")), "test", default));
        Assert.Equal(2, TestWorkspace.Ok(revise));
        Assert.Equal(2, (await _ws.ReviewAsync(id)).CurrentRound);
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363", "uitvoerbaar")));
        await _ws.PassDeadlineAsync(id);

        using var repo = new Repository(_ws.Reports);
        Assert.Equal("main", repo.Head.FriendlyName);
        var commits = repo.Commits.ToList();
        Assert.Equal([$"{id} v2: Wijziging Participatiewet: vereenvoudiging bijverdiensten (herzien)", $"{id} v1: Wijziging Participatiewet: vereenvoudiging bijverdiensten"],
            commits.Select(c => c.MessageShort));
        Assert.All(commits, c => Assert.Equal(("Wetstoets", "wetstoets@localhost"), (c.Author.Name, c.Author.Email)));
        var v1 = repo.Tags[$"{id}-v1"];
        Assert.True(v1.IsAnnotated);
        Assert.Equal(commits[1].Sha, v1.PeeledTarget.Sha);
        Assert.Equal(commits[0].Sha, repo.Tags[$"{id}-v2"].PeeledTarget.Sha);

        var folder = $"participatiewet/{id}";
        Assert.Equal(["README.md", folder + "/data.json", folder + "/rapport.html", folder + "/rapport.md"],
            commits[0].Tree.SelectMany(Paths).Order(StringComparer.Ordinal));
        var v2Markdown = ((Blob)commits[0][folder + "/rapport.md"].Target).GetContentText();
        Assert.Contains("Wijzigingen sinds versie 1", v2Markdown, StringComparison.Ordinal);
        Assert.Contains("art\\-18a", v2Markdown, StringComparison.Ordinal);
        var v1Markdown = ((Blob)commits[1][folder + "/rapport.md"].Target).GetContentText();
        var v1Html = ((Blob)commits[1][folder + "/rapport.html"].Target).GetContentText();
        Assert.DoesNotContain("<script>", v1Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", v1Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", v1Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Niet citeren", v1Markdown, StringComparison.Ordinal);
        Assert.Contains("Amsterdam", v1Markdown, StringComparison.Ordinal);

        // Personal data never reaches the repository: no contact name or address in any version.
        var contacts = await _ws.Db(db => db.Contacts.ToListAsync());
        foreach (var blob in commits.SelectMany(c => c.Tree.SelectMany(Blobs)))
        {
            var text = blob.GetContentText();
            Assert.DoesNotContain(contacts, c => text.Contains(c.Email, StringComparison.OrdinalIgnoreCase) || text.Contains(c.Name, StringComparison.Ordinal));
        }
        var readme = ((Blob)commits[0]["README.md"].Target).GetContentText();
        Assert.Contains($"{id}", readme, StringComparison.Ordinal);
        Assert.Contains("v2", readme, StringComparison.Ordinal);

        // The git command line agrees with LibGit2Sharp.
        var log = Git.Run(_ws.Reports, "log", "--format=%s", "main");
        Assert.Equal(commits.Select(c => c.MessageShort), log.Trim().Split('\n'));
        Assert.Equal("tag", Git.Run(_ws.Reports, "cat-file", "-t", $"{id}-v1").Trim());
        Assert.Equal("", Git.Run(_ws.Reports, "status", "--porcelain").Trim());
    }

    [Fact]
    public async Task The_index_of_every_version_lists_the_versions_other_processes_published()
    {
        // Each process remembers the index rows and the repository's folders it last saw; the other's
        // publications must show up all the same.
        await using var other = _ws.AnotherProcess();
        var first = await _ws.StartAsync();
        var second = await other.StartAsync();
        var third = await _ws.StartAsync();
        await _ws.PassDeadlineAsync(first);
        await other.PassDeadlineAsync(second);
        await _ws.PassDeadlineAsync(third);
        var fourth = await other.StartAsync();
        await other.PassDeadlineAsync(fourth);

        using var repo = new Repository(_ws.Reports);
        var oldestFirst = repo.Commits.QueryBy(new CommitFilter { SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse });
        var indexed = oldestFirst.Select(c => Regex.Matches(((Blob)c["README.md"].Target).GetContentText(), @"^\| (WT-\d{4}-\d{4}) ", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList()).ToList();
        Assert.Equal([[first], [first, second], [first, second, third], [first, second, third, fourth]], indexed);
        Assert.Equal([1, 2, 3, 4], await _ws.Db(db => db.ReportVersions.OrderBy(v => v.PublicationNumber).Select(v => v.PublicationNumber ?? 0).ToListAsync()));
        Assert.Equal("", Git.Run(_ws.Reports, "status", "--porcelain").Trim());
    }

    [Fact]
    public async Task Publishing_the_same_round_again_makes_no_second_commit()
    {
        var id = await _ws.StartAsync();
        await _ws.PassDeadlineAsync(id);
        var before = Git.Run(_ws.Reports, "rev-parse", "HEAD").Trim();

        var again = await _ws.Use<ReportCommands, Result<ReportVersion>>(u => u.PublishAsync(id, "test", default));
        Assert.True(again.IsSuccess);
        Assert.Contains(again.Warnings, w => w.Contains("published before", StringComparison.Ordinal));
        Assert.Equal(before, Git.Run(_ws.Reports, "rev-parse", "HEAD").Trim());
        Assert.Equal("1", Git.Run(_ws.Reports, "rev-list", "--count", "HEAD").Trim());
    }

    [Fact]
    public async Task Close_ends_the_review_and_refuses_further_decisions()
    {
        var id = await _ws.StartAsync();
        var early = await _ws.Use<DecideReview, Result<int>>(u => u.CloseAsync(id, "test", default));
        Assert.False(early.IsSuccess);
        Assert.Contains("not waiting for a decision", early.Problems[0].Message, StringComparison.Ordinal);

        await _ws.PassDeadlineAsync(id);
        TestWorkspace.Ok(await _ws.Use<DecideReview, Result<int>>(u => u.CloseAsync(id, "test", default)));
        Assert.Equal(ReviewState.Closed, (await _ws.ReviewAsync(id)).State);
        var again = await _ws.Use<DecideReview, Result<int>>(u => u.CloseAsync(id, "test", default));
        Assert.Contains("is closed", again.Problems[0].Message, StringComparison.Ordinal);
        Assert.Empty(await _ws.PendingTimersAsync(id));
        var actions = await _ws.Db(db => db.Audit.Where(a => a.Subject == id).Select(a => a.Action).ToListAsync());
        // Nobody answered: both reminders, then the quorum missed, the deadline extended once with a last
        // reminder, and the round closed at the extended deadline.
        Assert.Equal(["review-started", "routed", "round-opened", "reminded", "reminded", "round-extended", "reminded",
            "round-closed", "synthesised", "published", "report-accepted", "closed"], actions);
        Assert.Contains((await _ws.ReviewAsync(id)).Warnings, w => w.StartsWith("ronde 1: quorum niet gehaald", StringComparison.Ordinal));

        // Working state is gone; the history is whole.
        Assert.Equal(0, await _ws.Db(db => db.OutgoingMails.CountAsync(m => m.ReviewId == id)));
        var scheduler = await _ws.Services.GetRequiredService<SchedulerProvider>().GetAsync(default);
        Assert.Empty(await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(TimerSlot.Group)));
        var history = TestWorkspace.Ok(await _ws.Use<ReviewHistory, Result<IReadOnlyList<HistoryEntry>>>(u => u.GetAsync(id, default)));
        Assert.Equal(actions, history.Where(h => h.Kind == ReviewHistory.Action).Select(h => h.What));
        Assert.Equal(["deadline", "deadline", "reminder", "reminder"], history.Where(h => h.Kind == ReviewHistory.Timer).Select(h => h.What.Split(' ')[0]).Order());
        Assert.All(history.Where(h => h.Kind == ReviewHistory.Timer), h => Assert.StartsWith("fired at", h.Details, StringComparison.Ordinal));
        Assert.Equal("einde (end) → end", history.Last(h => h.Kind == ReviewHistory.Step).What);
        Assert.True(history.Zip(history.Skip(1)).All(pair => pair.First.At <= pair.Second.At));
    }

    [Fact]
    public async Task Status_shows_responses_per_size_class_and_the_next_timer()
    {
        var id = await _ws.StartAsync();
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363")));
        var status = TestWorkspace.Ok(await _ws.Use<ReviewStatus, Result<ReviewStatusReport>>(u => u.GetAsync(id, default)));
        Assert.Equal((59, 1), (status.Invited, status.Responded));
        Assert.Equal(new SizeClassProgress(SizeClass.G4, 4, 1), status.BySizeClass[0]);
        Assert.Equal(TimerKind.Reminder, status.NextTimer!.Kind);
        Assert.Equal(0, status.MailsQueued);
    }

    [Fact]
    public async Task Retrying_a_failed_collect_step_keeps_one_set_of_timers()
    {
        var id = await _ws.StartAsync();
        var before = await _ws.PendingTimersAsync(id);
        await _ws.Db(async db =>
        {
            var review = await db.Reviews.SingleAsync(r => r.Id == id);
            review.State = ReviewState.Failed;
            review.LastError = "simulated";
            return await db.SaveChangesAsync();
        });

        var retried = TestWorkspace.Ok(await _ws.Use<RetryReview, Result<RunOutcome>>(u => u.ExecuteAsync(id, "test", default)));
        Assert.Equal(RunOutcome.Advanced, retried);
        Assert.Equal((ReviewState.Waiting, null), ((await _ws.ReviewAsync(id)).State, (await _ws.ReviewAsync(id)).LastError));
        Assert.Equal(before.Select(t => t.Id), (await _ws.PendingTimersAsync(id)).Select(t => t.Id));
    }

    [Fact]
    public async Task Reminders_reach_the_invited_contacts_after_the_panel_is_imported_again()
    {
        var id = await _ws.StartAsync();
        await _ws.SeedAsync();   // the panel replaced mid-round: its contacts get new ids
        var reminder = (await _ws.PendingTimersAsync(id)).First(t => t.Kind == TimerKind.Reminder);
        _ws.Clock.SetUtcNow(reminder.DueAt);
        Assert.Equal(RunOutcome.Advanced, await _ws.FireAsync(reminder.Id));
        Assert.Equal(59, await _ws.Db(db => db.OutgoingMails.CountAsync(m => m.ReviewId == id && m.Kind == "reminder")));
    }

    [Fact]
    public async Task A_response_kept_as_late_counts_when_the_missed_quorum_extends_the_deadline()
    {
        var id = await _ws.StartAsync();
        var timers = await _ws.PendingTimersAsync(id);
        foreach (var reminder in timers.Where(t => t.Kind == TimerKind.Reminder))
        {
            _ws.Clock.SetUtcNow(reminder.DueAt);
            await _ws.FireAsync(reminder.Id);
        }
        var deadline = timers.Single(t => t.Kind == TimerKind.Deadline);
        _ws.Clock.SetUtcNow(deadline.DueAt.AddMinutes(5));
        Assert.True(TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363"))).IsLate);

        await _ws.FireAsync(deadline.Id);
        var response = await _ws.Db(db => db.Responses.SingleAsync(r => r.ReviewId == id));
        Assert.False(response.IsLate);
        Assert.True(await _ws.Db(db => db.Rounds.Where(r => r.ReviewId == id).Select(r => r.Extended).SingleAsync()));
        // The extension's reminder skips the municipality whose response now counts.
        var reminders = await _ws.Db(db => db.OutgoingMails.Where(m => m.ReviewId == id && m.Kind == "reminder").ToListAsync());
        Assert.Equal(3, reminders.Count(m => m.MunicipalityCode == "GM0599"));
        Assert.Equal(2, reminders.Count(m => m.MunicipalityCode == "GM0363"));
    }

    private static IEnumerable<string> Paths(TreeEntry entry) =>
        entry.TargetType == TreeEntryTargetType.Tree ? ((Tree)entry.Target).SelectMany(Paths) : [entry.Path];

    private static IEnumerable<Blob> Blobs(TreeEntry entry) =>
        entry.TargetType == TreeEntryTargetType.Tree ? ((Tree)entry.Target).SelectMany(Blobs) : [(Blob)entry.Target];
}
