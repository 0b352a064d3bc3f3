using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Wetstoets.Common;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Reviews;
using Wetstoets.Integration.Tests.Support;
using Wetstoets.Mail;
using Wetstoets.Questionnaires;
using Wetstoets.Workflows;
using static Wetstoets.Benchmarks.BenchWorkspace;

namespace Wetstoets.Benchmarks;

/// <summary>
/// Microsoft 365 through the real Graph SDK against the local Graph stand-in: replies with workbooks taken
/// in from the mailbox (time, and Graph requests per reply: Outlook allows 10,000 requests per ten minutes
/// per mailbox), and a national round's invitations leaving at the configured rate with a compressed clock.
/// </summary>
public static class GraphMailbox
{
    public static async Task RunAsync()
    {
        await RepliesAsync(1000);
        await SendingAsync(400, 30);
    }

    private static Dictionary<string, string?> Settings(FakeGraph graph, int perMinute) => new()
    {
        ["M365:Mailbox"] = "uitvoeringstoets@ministerie.example",
        ["M365:AccessToken"] = graph.Token,
        ["M365:GraphBaseUrl"] = graph.BaseUrl,
        ["M365:MaxMessagesPerMinute"] = perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task RepliesAsync(int municipalities)
    {
        await using var graph = new FakeGraph { PageSize = 100 };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ws = await CreateAsync("replies", clock, Settings(graph, 10_000));
        await ws.SeedAsync(municipalities);
        var reviewId = Require(await ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("bench.yaml", Draft(), null, false, "bench", default))).ReviewId;
        var (questionnaire, changes) = await ws.Query(async db =>
        {
            var review = await db.Reviews.SingleAsync(r => r.Id == reviewId);
            var draft = await db.Drafts.SingleAsync(d => d.ReviewId == reviewId && d.Version == 1);
            return ((await DefinitionStore.LoadAsync(db, review.WorkflowId, review.WorkflowVersion, default)).Questionnaire, draft.Changes);
        });
        for (var i = 1; i <= municipalities; i++)
        {
            var code = $"GM{i:D4}";
            var workbook = Workbooks.Fill(QuestionnaireWorkbook.Create(questionnaire, changes, reviewId, code, 1), ("Vragenlijst", "C2", "uitvoerbaar-mits"), ("Vragenlijst", "C3", "beperkt"));
            graph.Deliver(new GraphInboxMessage($"AAMk{i:D6}", $"RE: Uitvoeringstoets [{reviewId}/{code}]", $"c{i}@gemeente{i}.example", clock.GetUtcNow(), "Zie bijlage.",
                [new GraphAttachment("#microsoft.graph.fileAttachment", QuestionnaireWorkbook.FileName(reviewId, code), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook)]));
        }
        var requests = graph.Requests;
        var watch = Stopwatch.StartNew();
        var synced = await ws.Use<SyncReplies, SyncedReplies>(u => u.ExecuteAsync(default));
        watch.Stop();
        var used = graph.Requests - requests;
        var responses = await ws.Query(db => db.Responses.CountAsync(r => r.ReviewId == reviewId));
        Console.WriteLine($"[graph replies] {municipalities} replies with workbooks: {synced.Responses} responses ({responses} stored) in {watch.Elapsed.TotalSeconds:0.00} s " +
            $"({municipalities / watch.Elapsed.TotalSeconds:0} /s); {used} Graph requests ({synced.Pages} delta pages + {graph.FetchRequests} messages): {(double)used / municipalities:0.000} per reply");
    }

    private static async Task SendingAsync(int municipalities, int perMinute)
    {
        await using var graph = new FakeGraph();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ws = await CreateAsync("sending", clock, Settings(graph, perMinute));
        await ws.SeedAsync(municipalities);
        var watch = Stopwatch.StartNew();
        var start = clock.GetUtcNow();
        Require(await ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("bench.yaml", Draft(), null, false, "bench", default)));
        // The worker's loop, with a clock that moves five seconds a pass instead of waiting for them.
        while (await ws.Query(db => db.OutgoingMails.CountAsync(m => m.SentAt == null)) > 0)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            await ws.Use<MailDispatcher, int>(d => d.DispatchPendingAsync(null, default));
        }
        var sentAt = (await ws.Query(db => db.OutgoingMails.Select(m => m.SentAt!.Value).ToListAsync())).Order().ToList();
        var busiestMinute = sentAt.Max(at => sentAt.Count(other => other > at - TimeSpan.FromMinutes(1) && other <= at));
        Console.WriteLine($"[graph sending] {sentAt.Count} invitations at {perMinute}/min: sent over {(sentAt[^1] - start).TotalMinutes:0.0} min of clock " +
            $"(busiest minute {busiestMinute} mails, {graph.Sent.Count} accepted by Graph); {watch.Elapsed.TotalSeconds:0.0} s of real time with the clock compressed");
    }
}
