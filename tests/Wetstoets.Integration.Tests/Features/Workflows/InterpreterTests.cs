using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Reviews;
using Wetstoets.Integration.Tests.Support;

namespace Wetstoets.Integration.Tests.Features.Workflows;

/// <summary>On SQLite.</summary>
public sealed class SqliteInterpreterTests() : InterpreterTests("sqlite");

/// <summary>On a real PostgreSQL server.</summary>
public sealed class PostgresInterpreterTests() : InterpreterTests("postgres");

/// <summary>The runtime follows the definition on file, and a running review keeps the version it started on.</summary>
public abstract class InterpreterTests(string provider) : IAsyncLifetime
{
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _ws = await TestWorkspace.CreateAsync(provider: provider);
        await _ws.SeedAsync();
    }

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private void WriteWorkflow(string id, int version, string window, string tail, string collect = "")
    {
        Directory.CreateDirectory(_ws.Workspace.WorkflowsDirectory);
        File.WriteAllText(Path.Combine(_ws.Workspace.WorkflowsDirectory, $"{id}-v{version}.yaml"), $"""
            id: {id}
            version: {version}
            questionnaire: uitvoeringstoets
            steps:
              - id: kiezen
                type: route
                panels: [sociaal-domein]
                next: vragen
              - id: vragen
                type: invite
                window: {window}
                next: wachten
              - id: wachten
                type: collect{collect}
                next: tellen
              - id: tellen
                type: synthesise
                next: maken
              - id: maken
                type: render
                next: vastleggen
              - id: vastleggen
                type: publish
            {tail}
            """);
    }

    [Fact]
    public async Task A_definition_without_a_decision_step_ends_the_review_after_publishing()
    {
        WriteWorkflow("kort", 1, "P3D", "    next: klaar\n  - id: klaar\n    type: end");
        var id = await _ws.StartAsync(workflow: "kort");
        var deadline = (await _ws.PendingTimersAsync(id)).Single();
        Assert.Equal(TimeSpan.FromDays(3), deadline.DueAt - _ws.Clock.GetUtcNow());

        await _ws.PassDeadlineAsync(id);
        var review = await _ws.ReviewAsync(id);
        Assert.Equal((ReviewState.Closed, "klaar"), (review.State, review.CurrentStepId));
        var steps = await _ws.Db(db => db.History.Where(h => h.ReviewId == id).OrderBy(h => h.Id).Select(h => h.StepId).ToListAsync());
        Assert.Equal(["kiezen", "vragen", "wachten", "wachten", "tellen", "maken", "vastleggen", "klaar"], steps);
        Assert.Equal("1", Git.Run(_ws.Reports, "rev-list", "--count", "HEAD").Trim());
    }

    [Fact]
    public async Task A_size_class_below_its_quorum_extends_the_round_once_and_the_report_says_which_class()
    {
        WriteWorkflow("klassen", 1, "P3D", "    next: klaar\n  - id: klaar\n    type: end",
            "\n    quorum: { rate: 10%, perSizeClass: { G4: 50% }, extendBy: P2D }");
        var id = await _ws.StartAsync(workflow: "klassen");
        // 20 municipalities outside the G4 answer (34 %, above the overall 10 %); one G4 city of four.
        var participants = await _ws.Db(db => db.Participants.Where(p => p.ReviewId == id).OrderBy(p => p.MunicipalityCode).ToListAsync());
        foreach (var code in participants.Where(p => p.SizeClass != SizeClass.G4).Take(20).Select(p => p.MunicipalityCode).Append("GM0363"))
        {
            TestWorkspace.Ok(await _ws.SubmitAsync(id, Responses.For(code)));
        }
        var firstDeadline = (await _ws.PendingTimersAsync(id)).Single().DueAt;

        await _ws.PassDeadlineAsync(id);

        var round = await _ws.Db(db => db.Rounds.SingleAsync(r => r.ReviewId == id));
        Assert.True(round.Extended);
        Assert.Equal(firstDeadline.AddDays(2), round.Deadline);
        Assert.Equal(1, await _ws.Db(db => db.Audit.CountAsync(a => a.Subject == id && a.Action == "round-extended")));
        var warning = Assert.Single((await _ws.ReviewAsync(id)).Warnings, w => w.Contains("quorum", StringComparison.Ordinal));
        Assert.Equal("ronde 1: quorum niet gehaald (G4: 1 van 4, quorum 50%)", warning);
        // The reminder after the extension went only to those without an answer (59 - 21).
        Assert.Equal(38, await _ws.Db(db => db.Invitations.CountAsync(i => i.ReviewId == id && i.RemindersSent == 1)));
    }

    [Fact]
    public async Task A_running_review_stays_on_its_version_when_a_newer_one_is_installed()
    {
        var decision = "    next: besluit\n  - id: besluit\n    type: decision\n    on: { herzien: vragen, sluiten: klaar }\n  - id: klaar\n    type: end";
        WriteWorkflow("lang", 1, "P10D", decision);
        var id = await _ws.StartAsync(workflow: "lang");
        WriteWorkflow("lang", 2, "P20D", decision);
        File.WriteAllText(Path.Combine(_ws.Workspace.WorkflowsDirectory, "lang-v1.yaml"), "kapot: [");

        await _ws.PassDeadlineAsync(id);
        TestWorkspace.Ok(await _ws.Use<DecideReview, Result<int>>(u => u.ReviseAsync(id, "v2.yaml", File.ReadAllText(TestWorkspace.Sample("draft-v2.yaml")), "test", default)));
        var round2 = await _ws.Db(db => db.Rounds.SingleAsync(r => r.ReviewId == id && r.Number == 2));
        Assert.Equal(TimeSpan.FromDays(10), round2.Deadline - round2.OpenedAt);
        Assert.Equal(1, (await _ws.ReviewAsync(id)).WorkflowVersion);

        // While a definition file is broken nothing new starts, not even on an older version.
        var refused = await _ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("d.yaml", File.ReadAllText(TestWorkspace.Sample("draft-v1.yaml")), "lang", false, "test", default));
        Assert.StartsWith(Path.Combine(_ws.Workspace.WorkflowsDirectory, "lang-v1.yaml") + ":2:1: ", Assert.Single(refused.Problems).Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(_ws.Workspace.WorkflowsDirectory, "lang-v1.yaml"));
        var newer = await _ws.StartAsync(workflow: "lang");
        Assert.Equal(2, (await _ws.ReviewAsync(newer)).WorkflowVersion);
    }

    [Fact]
    public async Task A_definition_edited_in_place_after_reviews_started_on_it_is_refused_until_its_version_is_raised()
    {
        WriteWorkflow("vast", 1, "P10D", "    next: klaar\n  - id: klaar\n    type: end");
        var first = await _ws.StartAsync(workflow: "vast");
        WriteWorkflow("vast", 1, "P12D", "    next: klaar\n  - id: klaar\n    type: end");

        var refused = await _ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("d.yaml", File.ReadAllText(TestWorkspace.Sample("draft-v1.yaml")), "vast", false, "test", default));
        Assert.Contains("was changed after reviews started on it", Assert.Single(refused.Problems).Message, StringComparison.Ordinal);

        // The running review keeps its ten days; a raised version starts new reviews on twelve.
        await _ws.PassDeadlineAsync(first);
        Assert.Equal(ReviewState.Closed, (await _ws.ReviewAsync(first)).State);
        File.Delete(Path.Combine(_ws.Workspace.WorkflowsDirectory, "vast-v1.yaml"));
        WriteWorkflow("vast", 2, "P12D", "    next: klaar\n  - id: klaar\n    type: end");
        var second = await _ws.StartAsync(workflow: "vast");
        var round = await _ws.Db(db => db.Rounds.SingleAsync(r => r.ReviewId == second));
        Assert.Equal(TimeSpan.FromDays(12), round.Deadline - round.OpenedAt);
    }

    [Fact]
    public async Task Two_files_with_the_same_id_and_version_but_different_content_are_reported()
    {
        WriteWorkflow("dubbel", 1, "P10D", "    next: klaar\n  - id: klaar\n    type: end");
        File.Copy(Path.Combine(_ws.Workspace.WorkflowsDirectory, "dubbel-v1.yaml"), Path.Combine(_ws.Workspace.WorkflowsDirectory, "kopie.yaml"));
        Assert.Empty(new Wetstoets.Workflows.WorkflowCatalog(_ws.Workspace.WorkflowFolders).LoadAll().Diagnostics);

        File.WriteAllText(Path.Combine(_ws.Workspace.WorkflowsDirectory, "kopie.yaml"),
            File.ReadAllText(Path.Combine(_ws.Workspace.WorkflowsDirectory, "dubbel-v1.yaml")).Replace("P10D", "P11D", StringComparison.Ordinal));
        var diagnostic = Assert.Single(new Wetstoets.Workflows.WorkflowCatalog(_ws.Workspace.WorkflowFolders).LoadAll().Diagnostics);
        Assert.Contains("'dubbel' version 1 is also in", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_by_domain_reports_the_size_classes_the_panels_miss()
    {
        await _ws.Use<Wetstoets.Features.Panels.ImportPanels, Result<Wetstoets.Features.Panels.ImportedPanels>>(u => u.ExecuteAsync("p.yaml", """
            panels:
              - id: sociaal-domein
                domains: [participatie]
                members:
                  - municipality: GM0363
                    contacts: [{ name: A, email: a@amsterdam.example }]
            """, "test", default));
        var started = await _ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("d.yaml", File.ReadAllText(TestWorkspace.Sample("draft-v1.yaml")), null, false, "test", default));
        Assert.True(started.IsSuccess);
        Assert.Equal(4, started.Warnings.Count);
        Assert.Contains(started.Warnings, w => w.Contains("grootteklasse <20k", StringComparison.Ordinal));
        Assert.Equal(4, (await _ws.ReviewAsync(started.Value!.ReviewId)).Warnings.Count);
    }

    [Fact]
    public async Task A_draft_whose_domains_no_panel_covers_or_that_names_an_unknown_panel_is_refused_and_nothing_is_stored()
    {
        var draft = File.ReadAllText(TestWorkspace.Sample("draft-v1.yaml"));
        var byDomain = await _ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("d.yaml", draft.Replace("domains: [participatie]", "domains: [jeugd]", StringComparison.Ordinal), null, false, "test", default));
        Assert.Contains("no panel covers", byDomain.Problems[0].Message, StringComparison.Ordinal);
        var named = await _ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("d.yaml", draft + "panels: [bestaat-niet]\n", null, false, "test", default));
        Assert.Contains("unknown panel(s): bestaat-niet", named.Problems[0].Message, StringComparison.Ordinal);
        var unknownWorkflow = await _ws.Use<StartReview, Result<StartedReview>>(u => u.ExecuteAsync("d.yaml", draft, "bestaat-niet", false, "test", default));
        Assert.Contains("unknown workflow 'bestaat-niet'", unknownWorkflow.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, await _ws.Db(db => db.Reviews.CountAsync()));
    }
}
