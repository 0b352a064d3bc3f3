using Microsoft.EntityFrameworkCore;
using Wetstoets.Cli.Hosting;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Feedback;
using Wetstoets.Features.Reviews;
using Wetstoets.Hosting;
using Wetstoets.Integration.Tests.Support;
using Wetstoets.Mail;
using Wetstoets.M365.Graph;

namespace Wetstoets.Integration.Tests.Mail;

/// <summary>
/// Invitations and reminders through Microsoft Graph's sendMail, the credentials path and the panel meeting,
/// against a local server that answers like Graph.
/// </summary>
public sealed class GraphMailTests : IAsyncLifetime
{
    private const string Mailbox = "uitvoeringstoets@ministerie.example";
    private readonly FakeGraph _graph = new();
    private TestWorkspace _ws = null!;

    private Task<TestWorkspace> WorkspaceAsync(int perMinute = 1000, string? token = null) => TestWorkspace.CreateAsync(new Dictionary<string, string?>
    {
        ["M365:Mailbox"] = Mailbox,
        ["M365:AccessToken"] = token ?? _graph.Token,
        ["M365:GraphBaseUrl"] = _graph.BaseUrl,
        ["M365:MaxMessagesPerMinute"] = perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_ws is not null)
        {
            await _ws.DisposeAsync();
        }
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task Invitations_leave_from_the_shared_mailbox_with_tag_link_and_the_workbook_byte_for_byte()
    {
        _ws = await WorkspaceAsync();
        await _ws.SeedAsync();
        var id = await _ws.StartAsync();

        var sent = _graph.Sent.ToList();
        Assert.Equal(59, sent.Count);
        var invitations = await _ws.Db(db => db.Invitations.Where(i => i.ReviewId == id).ToListAsync());
        foreach (var mail in sent)
        {
            var code = System.Text.RegularExpressions.Regex.Match(mail.Subject, $@"\[{id}/(GM\d{{4}})\]").Groups[1].Value;
            Assert.NotEqual("", code);
            Assert.Equal((Mailbox, "html", true), (mail.Mailbox, mail.BodyType.ToLowerInvariant(), mail.SaveToSentItems));
            Assert.Contains("/t/", mail.Body, StringComparison.Ordinal);
            Assert.Equal($"{id}/1/{code}/1", mail.Headers[GraphMailSender.MailHeader]);
            var attachment = Assert.Single(mail.Attachments);
            Assert.Equal(("#microsoft.graph.fileAttachment", $"vragenlijst-{id}-{code}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (attachment.ODataType, attachment.Name, attachment.ContentType));
            Assert.Equal(await _ws.InvitationWorkbookAsync(id, code), attachment.Content);
            Assert.Contains(invitations, i => i.MunicipalityCode == code);
        }
        Assert.Equal(59, sent.Select(m => m.Headers[GraphMailSender.MailHeader]).Distinct(StringComparer.Ordinal).Count());
        Assert.All(sent, m => Assert.Contains("@", m.ToAddress, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_ws.Workspace.OutboxDirectory, id)), "no .eml files when mail goes through Microsoft 365");
        Assert.Equal(0, await _ws.Db(db => db.OutgoingMails.CountAsync(m => m.SentAt == null)));
    }

    [Fact]
    public async Task Reminders_go_through_Graph_only_to_municipalities_without_an_answer_with_the_same_workbook()
    {
        _ws = await WorkspaceAsync();
        await _ws.SeedAsync();
        var id = await _ws.StartAsync();
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363", "uitvoerbaar")));
        var reminder = (await _ws.PendingTimersAsync(id)).First(t => t.Kind == TimerKind.Reminder);
        _ws.Clock.SetUtcNow(reminder.DueAt);
        await _ws.FireAsync(reminder.Id);

        var reminders = _graph.Sent.Where(m => m.Headers[GraphMailSender.MailHeader].EndsWith("/2", StringComparison.Ordinal)).ToList();
        Assert.Equal(58, reminders.Count);
        Assert.DoesNotContain(reminders, m => m.Subject.Contains("/GM0363]", StringComparison.Ordinal));
        foreach (var mail in reminders)
        {
            var code = mail.Headers[GraphMailSender.MailHeader].Split('/')[2];
            Assert.Contains($"[{id}/{code}]", mail.Subject, StringComparison.Ordinal);
            Assert.Equal(await _ws.InvitationWorkbookAsync(id, code), Assert.Single(mail.Attachments).Content);
        }
    }

    [Fact]
    public async Task Throttled_requests_lose_no_mail_and_send_none_twice()
    {
        _ws = await WorkspaceAsync();
        await _ws.SeedAsync();
        _graph.Throttle = n => n % 10 < 3;   // 30 % of all requests answered 429
        var id = await _ws.StartAsync();
        for (var attempt = 0; attempt < 20 && await QueuedAsync() > 0; attempt++)
        {
            await _ws.Use<MailDispatcher, int>(d => d.DispatchPendingAsync(null, default));
        }

        Assert.True(_graph.Throttled >= 18, $"throttled {_graph.Throttled} of {_graph.Requests}");
        Assert.Equal(0, await QueuedAsync());
        var perMail = _graph.Sent.GroupBy(m => m.Headers[GraphMailSender.MailHeader]).ToList();
        Assert.Equal(59, perMail.Count);
        Assert.All(perMail, g => Assert.Single(g));
        Assert.All(perMail, g => Assert.StartsWith($"{id}/1/", g.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mail_whose_sending_was_interrupted_is_looked_up_in_sent_items_before_it_is_sent_again()
    {
        _ws = await WorkspaceAsync();
        await _ws.SeedAsync();
        await _ws.StartAsync();
        Assert.Equal(59, _graph.Sent.Count);

        // The process died after Graph accepted the mail and before the queue recorded it.
        var lost = await _ws.Db(async db =>
        {
            var mails = await db.OutgoingMails.OrderBy(m => m.Id).Take(2).ToListAsync();
            foreach (var mail in mails)
            {
                (mail.SentAt, mail.HtmlBody, mail.TextBody) = (null, "<p>Uitnodiging</p>", "Uitnodiging");
                mail.SendingAt ??= _ws.Clock.GetUtcNow();
            }
            await db.SaveChangesAsync();
            return mails[1];
        });
        await _ws.Use<MailDispatcher, int>(d => d.DispatchPendingAsync(null, default));
        Assert.Equal(59, _graph.Sent.Count);   // found in Sent Items: recorded as sent, not sent again
        Assert.Equal(0, await _ws.Db(db => db.OutgoingMails.CountAsync(m => m.SentAt == null)));

        // An attempt that never reached Graph: no copy in Sent Items, so it is sent, once.
        _graph.Sent.Clear();
        await _ws.Db(async db =>
        {
            var mail = await db.OutgoingMails.SingleAsync(m => m.Id == lost.Id);
            (mail.SentAt, mail.HtmlBody, mail.TextBody) = (null, "<p>Uitnodiging</p>", "Uitnodiging");
            return await db.SaveChangesAsync();
        });
        await _ws.Use<MailDispatcher, int>(d => d.DispatchPendingAsync(null, default));
        var resent = Assert.Single(_graph.Sent);
        Assert.Equal($"{lost.ReviewId}/1/{lost.MunicipalityCode}/{lost.Sequence}", resent.Headers[GraphMailSender.MailHeader]);
    }

    [Fact]
    public async Task The_queue_leaves_at_the_configured_rate_and_no_faster()
    {
        _ws = await WorkspaceAsync(perMinute: 10);
        await _ws.SeedAsync();
        var start = _ws.Clock.GetUtcNow();
        await _ws.StartAsync();
        Assert.Equal(10, _graph.Sent.Count);

        // The worker's loop with a compressed clock: a pass every five seconds.
        while (await QueuedAsync() > 0)
        {
            _ws.Clock.Advance(TimeSpan.FromSeconds(5));
            await _ws.Use<MailDispatcher, int>(d => d.DispatchPendingAsync(null, default));
        }

        var sentAt = await _ws.Db(db => db.OutgoingMails.Select(m => m.SentAt!.Value).ToListAsync());
        Assert.Equal(59, sentAt.Count);
        Assert.Equal(59, _graph.Sent.Count);
        Assert.All(sentAt, at => Assert.True(sentAt.Count(other => other > at - TimeSpan.FromMinutes(1) && other <= at) <= 10));
        // 59 mails at 10 a minute: the sixth batch leaves five minutes after the first.
        Assert.InRange(sentAt.Max() - start, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5.1));
    }

    [Fact]
    public async Task Two_senders_at_once_spend_one_minute_allowance_between_them()
    {
        _ws = await WorkspaceAsync(perMinute: 10);
        await _ws.SeedAsync();
        await _ws.StartAsync();
        Assert.Equal(10, _graph.Sent.Count);
        await using var other = _ws.AnotherProcess();

        // A minute later the worker and a command both send from the queue at the same moment.
        _ws.Clock.Advance(TimeSpan.FromSeconds(61));
        var sent = await Task.WhenAll(
            _ws.Use<MailDispatcher, int>(d => d.DispatchPendingAsync(null, default)),
            other.Use<MailDispatcher, int>(d => d.DispatchPendingAsync(null, default)));

        Assert.Equal(10, sent.Sum());
        Assert.Equal(20, _graph.Sent.Count);
    }

    [Fact]
    public async Task A_refused_token_leaves_the_mails_queued_and_visible_in_the_review_status()
    {
        _ws = await WorkspaceAsync(token: "verlopen");
        await _ws.SeedAsync();
        var id = await _ws.StartAsync();

        Assert.Empty(_graph.Sent);
        var status = TestWorkspace.Ok(await _ws.Use<ReviewStatus, Wetstoets.Common.Result<ReviewStatusReport>>(s => s.GetAsync(id, default)));
        Assert.Equal(59, status.MailsQueued);
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("certificate")]
    public async Task With_app_credentials_the_command_signs_in_at_the_configured_authority_and_sends_with_that_token(string credential)
    {
        await using var authority = new FakeAuthority(_graph.Token);
        var data = TestWorkspace.NewFolder();
        string? certificatePath = null;
        if (credential == "secret")
        {
            authority.Clients["wetstoets-app"] = "geheim";
        }
        else
        {
            (authority.ClientCertificates["wetstoets-app"], certificatePath) = FakeAuthority.NewClientCertificate("wetstoets-app");
        }
        File.WriteAllText(Path.Combine(data, "wetstoets.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            M365 = new
            {
                Mailbox, GraphBaseUrl = _graph.BaseUrl, TenantId = "ministerie.example", ClientId = "wetstoets-app",
                ClientSecret = credential == "secret" ? "geheim" : null, CertificatePath = certificatePath,
                AuthorityHost = authority.Url, MaxMessagesPerMinute = 1000,
            },
        }));
        // The processes trust the authority's self-signed certificate, as a national cloud's would be trusted.
        using var trust = CliProcess.WithEnvironment(new Dictionary<string, string> { ["SSL_CERT_FILE"] = authority.CertificateFile });
        var output = "";
        foreach (var command in new[]
        {
            new[] { "municipalities", "import", TestWorkspace.Sample("municipalities.csv") },
            ["panels", "import", TestWorkspace.Sample("panels.yaml")],
            ["review", "start", TestWorkspace.Sample("draft-v1.yaml")],
        })
        {
            var run = await CliProcess.RunAsync(data, command);
            Assert.True(run.ExitCode == 0, run.StdErr);
            output = run.StdErr;
        }

        // Every request carried the token the authority issued (the stand-in checks it).
        Assert.True(_graph.Sent.Count == 59, $"{_graph.Sent.Count} mails sent; review start said:\n{output}");
        var signIn = Assert.Single(authority.TokenRequests);   // one token for the whole round
        Assert.Equal($"ministerie.example client_credentials wetstoets-app {_graph.BaseUrl.Replace("/v1.0", "", StringComparison.Ordinal)}/.default", signIn);
    }

    [Fact]
    public async Task The_worker_takes_replies_in_from_the_mailbox_and_feedback_sync_does_so_on_demand()
    {
        var data = TestWorkspace.NewFolder();
        File.WriteAllText(Path.Combine(data, "wetstoets.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            M365 = new { Mailbox, AccessToken = _graph.Token, GraphBaseUrl = _graph.BaseUrl, MaxMessagesPerMinute = 1000, SyncInterval = "00:00:10" },
        }));
        Assert.Equal(0, (await CliProcess.RunAsync(data, "municipalities", "import", TestWorkspace.Sample("municipalities.csv"))).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(data, "panels", "import", TestWorkspace.Sample("panels.yaml"))).ExitCode);
        var start = await CliProcess.RunAsync(data, "review", "start", TestWorkspace.Sample("draft-v1.yaml"));
        Assert.True(start.ExitCode == 0, start.StdErr);
        // Two municipalities reply to their invitation with the workbook it carried, filled in.
        var replies = _graph.Sent.Take(2).Select((mail, n) => new GraphInboxMessage($"AAMk{n}", "RE: " + mail.Subject, mail.ToAddress, DateTimeOffset.UtcNow, "Zie bijlage.",
            [mail.Attachments[0] with { Content = Workbooks.Fill(mail.Attachments[0].Content, ("Vragenlijst", "C2", "uitvoerbaar"), ("Vragenlijst", "C3", "beperkt")) }])).ToList();

        _graph.Deliver(replies[0]);
        var sync = await CliProcess.RunAsync(data, "feedback", "sync");
        Assert.True(sync.ExitCode == 0, sync.StdErr);
        Assert.Contains("1 responses, 0 comments, 0 quarantined", sync.StdErr, StringComparison.Ordinal);

        _graph.Deliver(replies[1]);
        var output = new System.Text.StringBuilder();
        using var worker = CliProcess.Start(data, output, "worker");
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await ResponsesInAsync(data) < 2)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"the worker took in no reply within a minute:\n{output}");
                await Task.Delay(200);
            }
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
        Assert.Equal(2, await ResponsesInAsync(data));
    }

    private static async Task<long> ResponsesInAsync(string data)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "wetstoets.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Responses WHERE Channel = 'mail'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_panel_meeting_is_a_teams_meeting_in_the_shared_calendar_with_everyone_invited_once_per_round()
    {
        _ws = await WorkspaceAsync();
        await _ws.SeedAsync();
        var id = await _ws.StartAsync();
        var at = _ws.Clock.GetUtcNow().AddDays(14);
        Task<Result<PanelMeeting>> PlanAsync(DateTimeOffset start, TimeSpan length) =>
            _ws.Use<PlanPanelMeeting, Result<PanelMeeting>>(u => u.ExecuteAsync(id, start, length, "beleidsmedewerker", default));

        var meeting = TestWorkspace.Ok(await PlanAsync(at, TimeSpan.FromMinutes(90)));

        var created = Assert.Single(_graph.Events).Value;
        var invited = await _ws.Db(db => db.Invitations.Where(i => i.ReviewId == id).Select(i => i.ContactEmail).Distinct().CountAsync());
        Assert.Equal((true, "teamsForBusiness", $"wetstoets-{id}-r1"), ((bool)created["isOnlineMeeting"]!, (string)created["onlineMeetingProvider"]!, (string)created["transactionId"]!));
        Assert.Equal((invited, invited), (created["attendees"]!.AsArray().Count, meeting.Attendees));
        Assert.Equal((at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), "UTC"), ((string)created["start"]!["dateTime"]!, (string)created["start"]!["timeZone"]!));
        Assert.Equal(at.AddMinutes(90).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), (string)created["end"]!["dateTime"]!);
        Assert.Contains($"[{id}]", (string)created["subject"]!, StringComparison.Ordinal);
        Assert.StartsWith("https://teams.microsoft.com/", meeting.JoinUrl, StringComparison.Ordinal);

        Assert.Contains("already", Assert.Single((await PlanAsync(at.AddDays(1), TimeSpan.FromHours(1))).Problems).Message, StringComparison.Ordinal);
        var status = TestWorkspace.Ok(await _ws.Use<ReviewStatus, Result<ReviewStatusReport>>(u => u.GetAsync(id, default)));
        Assert.Equal(meeting.JoinUrl, status.Meeting!.JoinUrl);

        // A crash after the calendar made the event and before it was recorded: planning again gives that event.
        await _ws.Db(db => db.PanelMeetings.ExecuteDeleteAsync());
        var again = TestWorkspace.Ok(await PlanAsync(at, TimeSpan.FromMinutes(90)));
        Assert.Equal((meeting.EventId, 1, 2), (again.EventId, _graph.Events.Count, _graph.EventRequests));

        await _ws.Db(db => db.PanelMeetings.ExecuteDeleteAsync());
        Assert.Contains("has passed", Assert.Single((await PlanAsync(_ws.Clock.GetUtcNow().AddMinutes(-1), TimeSpan.FromHours(1))).Problems).Message, StringComparison.Ordinal);
        Assert.Contains("at most 8 hours", Assert.Single((await PlanAsync(at, TimeSpan.FromHours(9))).Problems).Message, StringComparison.Ordinal);
        Assert.Equal(2, _graph.EventRequests);
    }

    [Fact]
    public async Task Responses_are_copied_to_the_sharepoint_list_once_each_also_after_an_interrupted_attempt()
    {
        _ws = await TestWorkspace.CreateAsync(new Dictionary<string, string?>
        {
            ["M365:Mailbox"] = Mailbox, ["M365:AccessToken"] = _graph.Token, ["M365:GraphBaseUrl"] = _graph.BaseUrl, ["M365:MaxMessagesPerMinute"] = "1000",
            ["M365:ResponseListSite"] = "ministerie.sharepoint.com,5a1f,9c2e", ["M365:ResponseList"] = "reacties",
        });
        await _ws.SeedAsync();
        var id = await _ws.StartAsync();
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363", "uitvoerbaar")));
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0014", "uitvoerbaar-mits", kosten: "40.000")));
        Task<int> RegisterAsync() => _ws.Use<RegisterResponses, int>(u => u.ExecuteAsync(default));

        Assert.Equal(2, await RegisterAsync());
        Assert.Equal(0, await RegisterAsync());
        var items = _graph.ListItems.ToList();
        Assert.All(items, i => Assert.Equal("ministerie.sharepoint.com,5a1f,9c2e/reacties", i.List));
        var first = items.Single(i => (string?)i.Fields["Gemeente"] == "GM0363").Fields;
        Assert.Equal(($"{id}/1/GM0363/1", id, 1, 1, "cli", false), ((string)first["Title"]!, (string)first["Toets"]!, (int)first["Ronde"]!, (int)first["Revisie"]!, (string)first["Kanaal"]!, (bool)first["Te_laat"]!));
        Assert.Contains("\"oordeel\":\"uitvoerbaar\"", (string)first["Antwoorden"]!, StringComparison.Ordinal);

        // A revision whose item was added just before the process died, unrecorded: found, not added again.
        TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For("GM0363", "niet-uitvoerbaar")));
        await _ws.Db(async db =>
        {
            var revision = await db.Responses.SingleAsync(r => r.MunicipalityCode == "GM0363" && r.Revision == 2);
            revision.RegisteringAt = _ws.Clock.GetUtcNow();
            return await db.SaveChangesAsync();
        });
        _graph.ListItems.Enqueue(("ministerie.sharepoint.com,5a1f,9c2e/reacties", new System.Text.Json.Nodes.JsonObject { ["Title"] = $"{id}/1/GM0363/2" }));
        Assert.Equal(1, await RegisterAsync());
        Assert.Equal(3, _graph.ListItems.Count);
        Assert.Equal(0, await _ws.Db(db => db.Responses.CountAsync(r => r.RegisteredAt == null)));
    }

    [Fact]
    public void A_response_list_without_its_site_or_without_a_mailbox_is_refused_at_start_up()
    {
        var workspace = new Workspace(TestWorkspace.NewFolder(), AppContext.BaseDirectory);
        foreach (var settings in new[]
        {
            new Dictionary<string, string?> { ["M365:Mailbox"] = Mailbox, ["M365:AccessToken"] = "t", ["M365:ResponseList"] = "reacties" },
            new Dictionary<string, string?> { ["M365:ResponseListSite"] = "site", ["M365:ResponseList"] = "reacties" },
        })
        {
            var problem = Assert.Throws<ConfigurationProblem>(() => WorkspaceConfiguration.Load(workspace, settings));
            Assert.StartsWith("M365:ResponseList:", problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_authority_host_without_tls_is_refused_at_start_up_naming_the_key()
    {
        // Azure.Identity accepts only https sign-in authorities, loopback included; say so before the first mail.
        var workspace = new Workspace(TestWorkspace.NewFolder(), AppContext.BaseDirectory);
        var problem = Assert.Throws<ConfigurationProblem>(() => WorkspaceConfiguration.Load(workspace, new Dictionary<string, string?>
        {
            ["M365:Mailbox"] = Mailbox, ["M365:TenantId"] = "ministerie.example", ["M365:ClientId"] = "wetstoets-app", ["M365:ClientSecret"] = "geheim",
            ["M365:AuthorityHost"] = "http://127.0.0.1:8400/",
        }));
        Assert.StartsWith("M365:AuthorityHost:", problem.Message, StringComparison.Ordinal);
        Assert.Contains("https", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mailbox_without_credentials_is_refused_at_start_up_naming_the_keys()
    {
        var workspace = new Workspace(TestWorkspace.NewFolder(), AppContext.BaseDirectory);
        var problem = Assert.Throws<ConfigurationProblem>(() => WorkspaceConfiguration.Load(workspace, new Dictionary<string, string?> { ["M365:Mailbox"] = Mailbox }));
        Assert.Contains("M365:TenantId", problem.Message, StringComparison.Ordinal);
        Assert.Contains("M365:AccessToken", problem.Message, StringComparison.Ordinal);
    }

    private Task<int> QueuedAsync() => _ws.Db(db => db.OutgoingMails.CountAsync(m => m.SentAt == null));
}
