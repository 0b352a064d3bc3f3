using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Reviews;
using Wetstoets.Integration.Tests.Support;
using Wetstoets.Questionnaires;

namespace Wetstoets.Integration.Tests.Mail;

/// <summary>Reply intake on SQLite.</summary>
public sealed class SqliteGraphReplyTests() : GraphReplyTests("sqlite");

/// <summary>Reply intake on PostgreSQL: the same exactly-once bookkeeping on the other database.</summary>
public sealed class PostgresGraphReplyTests() : GraphReplyTests("postgres");

/// <summary>Replies read from the shared mailbox with Graph's delta query, against a local server that answers like Graph.</summary>
public abstract class GraphReplyTests(string provider) : IAsyncLifetime
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private readonly FakeGraph _graph = new();
    private TestWorkspace _ws = null!;
    private string _review = null!;
    private Dictionary<string, string> _contacts = null!;
    private int _messages;

    public async Task InitializeAsync()
    {
        _ws = await TestWorkspace.CreateAsync(new Dictionary<string, string?>
        {
            ["M365:Mailbox"] = "uitvoeringstoets@ministerie.example",
            ["M365:AccessToken"] = _graph.Token,
            ["M365:GraphBaseUrl"] = _graph.BaseUrl,
            ["M365:MaxMessagesPerMinute"] = "1000",
        }, provider);
        await _ws.SeedAsync();
        _review = await _ws.StartAsync();
        // One contact address per invited municipality.
        _contacts = await _ws.Db(async db => (await db.PanelMembers.Join(db.Contacts, m => m.Id, c => c.PanelMemberId, (m, c) => new { m.MunicipalityCode, c.Email }).ToListAsync())
            .GroupBy(x => x.MunicipalityCode).ToDictionary(g => g.Key, g => g.First().Email));
    }

    public async Task DisposeAsync()
    {
        await _ws.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task Replies_over_many_pages_are_taken_in_once_each_and_later_replies_become_new_revisions()
    {
        foreach (var code in _contacts.Keys)
        {
            _graph.Deliver(Reply(code, Workbook(code)));
            _graph.Deliver(Untagged());
        }
        var synced = await SyncAsync();

        Assert.Equal((59, 0, 0), (synced.Responses, synced.Comments, synced.Quarantined));
        Assert.Equal(12, synced.Pages);   // 118 messages, 10 a page
        Assert.Equal(59, _graph.FetchRequests);   // only tagged messages are fetched, each once, with its attachments
        var responses = await ResponsesAsync();
        Assert.Equal(59, responses.Count);
        Assert.All(responses, r => Assert.Equal(("mail", 1, "uitvoerbaar"), (r.Channel, r.Revision, r.Answers["oordeel"])));

        var again = await SyncAsync();
        Assert.Equal((1, 0), (again.Pages, again.Responses));
        var code0 = _contacts.Keys.First();
        _graph.Deliver(Reply(code0, Workbook(code0, oordeel: "niet-uitvoerbaar")));
        Assert.Equal(1, (await SyncAsync()).Responses);
        var latest = (await ResponsesAsync()).Where(r => r.MunicipalityCode == code0).MaxBy(r => r.Revision)!;
        Assert.Equal((2, "niet-uitvoerbaar"), (latest.Revision, latest.Answers["oordeel"]));
    }

    [Fact]
    public async Task A_thousand_replies_over_many_pages_are_each_taken_in_once()
    {
        // 59 municipalities answering 17 times each: every reply a new revision of that municipality's response.
        var codes = _contacts.Keys.ToList();
        for (var i = 0; i < 1003; i++)
        {
            _graph.Deliver(Reply(codes[i % codes.Count], Workbook(codes[i % codes.Count], oordeel: i % 2 == 0 ? "uitvoerbaar" : "uitvoerbaar-mits")));
        }
        _graph.PageSize = 50;
        var synced = await SyncAsync();

        Assert.Equal((1003, 21), (synced.Responses, synced.Pages));
        var responses = await ResponsesAsync();
        Assert.Equal(1003, responses.Count);
        Assert.All(responses.GroupBy(r => r.MunicipalityCode), g => Assert.Equal(Enumerable.Range(1, 17), g.Select(r => r.Revision).Order()));
        Assert.Equal(0, (await SyncAsync()).Responses);
    }

    [Fact]
    public async Task An_interrupted_sync_resumes_where_it_stopped_and_takes_nothing_twice()
    {
        var ids = _contacts.Keys.Select(code => Deliver(Reply(code, Workbook(code)))).ToList();
        var failing = ids[24];
        _graph.FailFetch = id => id == failing;
        await Assert.ThrowsAnyAsync<Exception>(SyncAsync);
        var before = (await ResponsesAsync()).Count;
        Assert.InRange(before, 20, 24);

        _graph.FailFetch = _ => false;
        var resumed = await SyncAsync();
        Assert.Equal(59 - before, resumed.Responses);
        var responses = await ResponsesAsync();
        Assert.Equal(59, responses.Count);
        Assert.All(responses, r => Assert.Equal(1, r.Revision));
        Assert.Equal(59, await _ws.Db(db => db.InboundReplies.CountAsync()));
    }

    [Fact]
    public async Task An_expired_delta_link_reads_the_folder_again_without_taking_anything_twice()
    {
        foreach (var code in _contacts.Keys.Take(10))
        {
            _graph.Deliver(Reply(code, Workbook(code)));
        }
        Assert.Equal(10, (await SyncAsync()).Responses);
        _graph.ForgetSyncState = true;
        var late = _contacts.Keys.Skip(10).First();
        _graph.Deliver(Reply(late, Workbook(late)));

        var resynced = await SyncAsync();
        Assert.True(resynced.FullResync);
        Assert.Equal(1, resynced.Responses);
        Assert.Equal(11, (await ResponsesAsync()).Count);
    }

    [Fact]
    public async Task Throttled_requests_lose_no_reply_and_take_none_twice()
    {
        foreach (var code in _contacts.Keys)
        {
            _graph.Deliver(Reply(code, Workbook(code)));
        }
        _graph.Throttle = n => n % 10 < 3;   // 30 % of all requests answered 429
        for (var attempt = 0; attempt < 20 && (await ResponsesAsync()).Count < 59; attempt++)
        {
            try
            {
                await SyncAsync();
            }
            catch (Exception e) when (e is Microsoft.Graph.Models.ODataErrors.ODataError or AggregateException)
            {
                // Retries ran out on one request: the next sync carries on.
            }
        }

        Assert.True(_graph.Throttled > 10, $"throttled {_graph.Throttled} of {_graph.Requests}");
        var responses = await ResponsesAsync();
        Assert.Equal(59, responses.Count);
        Assert.All(responses, r => Assert.Equal(1, r.Revision));
    }

    [Fact]
    public async Task Untrusted_or_unreadable_replies_are_quarantined_with_their_reason_and_text_alone_is_a_comment()
    {
        var codes = _contacts.Keys.Take(7).ToList();
        var cases = new (string Code, GraphInboxMessage Message, string Reason)[]
        {
            (codes[0], Reply(codes[0], Workbook(codes[0]), from: "iemand@elders.example"), "geen contactpersoon"),
            (codes[1], Reply(codes[1], Workbooks.Fill(Workbook(codes[1]), ("Meta", "B2", codes[2]))), $"hoort bij {_review}/{codes[2]}"),
            (codes[2], Reply(codes[2], Workbooks.Fill(Workbook(codes[2]), ("Meta", "B3", "2"))), "ronde 2"),
            (codes[3], Reply(codes[3], [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), "damaged"),
            (codes[4], Reply(codes[4], new byte[WorkbookReader.MaxBytes + 1]), "5 MB"),
            (codes[5], Reply(codes[5], Workbook(codes[5], oordeel: "misschien")), "misschien"),
        };
        foreach (var (_, message, _) in cases)
        {
            _graph.Deliver(message);
        }
        _graph.Deliver(Reply(codes[6], workbook: null, text: "Wij reageren volgende week, de wethouder is op reis."));

        var synced = await SyncAsync();
        Assert.Equal((0, 1, 6), (synced.Responses, synced.Comments, synced.Quarantined));
        Assert.Empty(await ResponsesAsync());
        var replies = await _ws.Db(db => db.InboundReplies.ToListAsync());
        foreach (var (code, _, reason) in cases)
        {
            var reply = replies.Single(r => r.MunicipalityCode == code);
            Assert.Equal(ReplyOutcome.Quarantined, reply.Outcome);
            Assert.Contains(reason, reply.Reason, StringComparison.OrdinalIgnoreCase);
        }
        var comment = replies.Single(r => r.MunicipalityCode == codes[6]);
        Assert.Equal((ReplyOutcome.Comment, "Wij reageren volgende week, de wethouder is op reis."), (comment.Outcome, comment.Text));
        Assert.Contains("$deltatoken=", await _ws.Db(db => db.MailboxCursors.Select(c => c.Link).SingleAsync()), StringComparison.Ordinal);
        Assert.NotNull(replies.Single(r => r.MunicipalityCode == codes[5]).Attachment);   // kept for the ministry's decision
        Assert.Null(replies.Single(r => r.MunicipalityCode == codes[4]).Attachment);      // over the limit: not kept
    }

    [Fact]
    public async Task The_ministry_accepts_or_rejects_a_quarantined_reply_once_and_review_status_shows_what_waits()
    {
        var codes = _contacts.Keys.Take(4).ToList();
        _graph.Deliver(Reply(codes[0], Workbook(codes[0]), from: "collega@andere-gemeente.example"));
        _graph.Deliver(Reply(codes[1], Workbook(codes[1], oordeel: "misschien")));
        _graph.Deliver(Reply(codes[2], [1, 2, 3]));
        _graph.Deliver(Reply(codes[3], workbook: null));
        Assert.Equal(3, (await SyncAsync()).Quarantined);
        var ids = await _ws.Db(db => db.InboundReplies.Where(r => r.Outcome == ReplyOutcome.Quarantined).OrderBy(r => r.MunicipalityCode)
            .ToDictionaryAsync(r => r.MunicipalityCode!, r => r.Id));

        var accepted = TestWorkspace.Ok(await DecideAsync(u => u.AcceptAsync(ids[codes[0]], "beleidsmedewerker", default)));
        Assert.Equal((codes[0], 1, false), (accepted.Response!.MunicipalityCode, accepted.Response.Revision, accepted.Response.IsLate));
        var twice = await DecideAsync(u => u.AcceptAsync(ids[codes[0]], "beleidsmedewerker", default));
        Assert.Contains("was accepted", Assert.Single(twice.Problems).Message, StringComparison.Ordinal);
        var invalid = await DecideAsync(u => u.AcceptAsync(ids[codes[1]], "beleidsmedewerker", default));
        Assert.Contains(invalid.Problems, p => p.Message.Contains("misschien", StringComparison.Ordinal));
        TestWorkspace.Ok(await DecideAsync(u => u.RejectAsync(ids[codes[2]], "beleidsmedewerker", default)));
        Assert.Equal(ProblemKind.NotFound, Assert.Single((await DecideAsync(u => u.RejectAsync(9999, "beleidsmedewerker", default))).Problems).Kind);

        Assert.Equal([codes[0]], (await ResponsesAsync()).Select(r => r.MunicipalityCode));
        var status = TestWorkspace.Ok(await _ws.Use<ReviewStatus, Result<ReviewStatusReport>>(u => u.GetAsync(_review, default)));
        Assert.Equal(1, status.Comments);
        Assert.Equal([(codes[0], DecideReply.Accepted), (codes[1], null), (codes[2], DecideReply.Rejected)],
            status.Quarantined.Select(q => (q.MunicipalityCode!, q.Decision)));   // in the order they arrived
        Assert.Equal(1, status.Responded);
    }

    private Task<Result<DecidedReply>> DecideAsync(Func<DecideReply, Task<Result<DecidedReply>>> decide) => _ws.Use(decide);

    [Fact]
    public async Task The_deadline_takes_the_mailbox_in_first_so_a_reply_sent_in_time_counts()
    {
        var code = _contacts.Keys.First();
        var deadline = (await _ws.PendingTimersAsync(_review)).Single(t => t.Kind == TimerKind.Deadline).DueAt;
        _graph.Deliver(Reply(code, Workbook(code), receivedAt: deadline.AddMinutes(-1)));   // never synced before the deadline

        await _ws.PassDeadlineAsync(_review);

        var response = Assert.Single(await ResponsesAsync());
        Assert.Equal((code, false), (response.MunicipalityCode, response.IsLate));
        var assessment = await _ws.Db(db => db.Assessments.SingleAsync(a => a.ReviewId == _review));
        Assert.Contains("\"responded\":1", assessment.DataJson.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private Task<SyncedReplies> SyncAsync() => _ws.Use<SyncReplies, SyncedReplies>(u => u.ExecuteAsync(default));

    private Task<List<Response>> ResponsesAsync() => _ws.Db(db => db.Responses.Where(r => r.ReviewId == _review).ToListAsync());

    private string Deliver(GraphInboxMessage message)
    {
        _graph.Deliver(message);
        return message.Id;
    }

    private byte[] Workbook(string code, string oordeel = "uitvoerbaar") =>
        Workbooks.Fill(_ws.InvitationWorkbookAsync(_review, code).GetAwaiter().GetResult(), ("Vragenlijst", "C2", oordeel), ("Vragenlijst", "C3", "beperkt"));

    private GraphInboxMessage Reply(string code, byte[]? workbook, string? from = null, string text = "Zie bijlage.", DateTimeOffset? receivedAt = null) =>
        new($"AAMk{Interlocked.Increment(ref _messages):000000}", $"RE: Uitvoeringstoets [{_review}/{code}]", from ?? _contacts[code],
            receivedAt ?? _ws.Clock.GetUtcNow(), text,
            workbook is null ? [] : [new GraphAttachment("#microsoft.graph.fileAttachment", $"vragenlijst-{_review}-{code}.xlsx", Xlsx, workbook)]);

    private GraphInboxMessage Untagged() =>
        new($"AAMk{Interlocked.Increment(ref _messages):000000}", "Nieuwsbrief VNG", "nieuws@vng.example", _ws.Clock.GetUtcNow(), "Lees meer.", []);
}
