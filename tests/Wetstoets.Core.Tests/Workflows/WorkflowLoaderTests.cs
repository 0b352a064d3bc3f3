using Wetstoets.Questionnaires;
using Wetstoets.Workflows;

namespace Wetstoets.Core.Tests.Workflows;

public class WorkflowLoaderTests
{
    private static readonly Questionnaire Questionnaire = new("uitvoeringstoets", "Q",
    [
        new("oordeel", QuestionType.Choice, "?", [new("uitvoerbaar", "U"), new("uitvoerbaar-mits", "UM"), new("niet-uitvoerbaar", "N")], null, null, null, true),
    ]);

    private const string Valid = """
        id: toets
        version: 3
        questionnaire: uitvoeringstoets
        steps:
          - id: routeren
            type: route
            representation: { minPerSizeClass: 2 }
            next: uitnodigen
          - id: uitnodigen
            type: invite
            window: P6W
            next: verzamelen
          - id: verzamelen
            type: collect
            reminders: { offsets: [-P2D, -P7D], max: 1 }
            quorum: { rate: 40%, extendBy: P1W }
            next: samenvatten
          - id: samenvatten
            type: synthesise
            verdict:
              rules:
                - { verdict: niet-uitvoerbaar, question: oordeel, answers: [niet-uitvoerbaar], atLeastShare: 0.3 }
            next: besluit
          - id: besluit
            type: decision
            on: { herzien: uitnodigen, sluiten: einde }
          - id: einde
            type: end
        """;

    private static (WorkflowDefinition?, IReadOnlyList<Wetstoets.Common.Diagnostic>) Parse(string yaml) =>
        WorkflowLoader.Parse("w.yaml", yaml, id => id == "uitvoeringstoets" ? Questionnaire : null);

    [Fact]
    public void A_valid_definition_loads_with_typed_settings()
    {
        var (definition, diagnostics) = Parse(Valid);
        Assert.Empty(diagnostics);
        Assert.Equal(("toets", 3), (definition!.Id, definition.Version));
        var collect = definition.FirstSettings<CollectSettings>()!;
        Assert.Equal([TimeSpan.FromDays(-7), TimeSpan.FromDays(-2)], collect.ReminderOffsets);
        Assert.Equal(1, collect.MaxReminders);
        Assert.Equal(0.4m, collect.QuorumRate);
        Assert.Equal(TimeSpan.FromDays(7), collect.ExtendBy);
        Assert.Equal(2, definition.FirstSettings<RouteSettings>()!.MinPerSizeClass);
        Assert.Equal("uitnodigen", definition.Step("besluit").On["herzien"]);
    }

    [Theory]
    [InlineData("    type: collect\n", "    type: collekt\n", "unknown step type 'collekt'", 14)]
    [InlineData("    on: { herzien: uitnodigen, sluiten: einde }", "    on: { herzien: uitnodigen, sluiten: nergens }", "goes to unknown step 'nergens'", 24)]
    [InlineData("window: P6W", "window: P6X", "'P6X' is not an ISO 8601 duration", 11)]
    [InlineData("offsets: [-P2D, -P7D]", "offsets: [P2D, -P7D]", "must be a negative ISO 8601 duration", 15)]
    [InlineData("question: oordeel", "question: kleur", "unknown question 'kleur'", 22)]
    [InlineData("verdict: niet-uitvoerbaar,", "verdict: prima,", "'prima' is not an option of 'oordeel'", 22)]
    [InlineData("questionnaire: uitvoeringstoets", "questionnaire: onbekend", "questionnaire 'onbekend' not found", 3)]
    [InlineData("    next: besluit", "    next: einde", "step 'besluit' cannot be reached", 24)]
    [InlineData("rate: 40%", "rate: 140%", "must be a share between 0 and 1", 16)]
    [InlineData("rate: 40%", "rate: 40%, perSizeClass: { G5: 50% }", "unknown size class 'G5'", 16)]
    [InlineData("rate: 40%", "rate: 40%, perSizeClass: [G4]", "'perSizeClass' must be a share", 16)]
    [InlineData("rate: 40%", "rate: 40%, perSizeClass: { G4: veel }", "'G4' must be a share", 16)]
    [InlineData("extendBy: P1W", "extendBy: -P1W", "'extendBy' must be a positive duration", 16)]
    public void Each_problem_is_reported_with_its_line(string find, string replace, string message, int line)
    {
        var (definition, diagnostics) = Parse(Valid.Replace(find, replace, StringComparison.Ordinal));
        Assert.Null(definition);
        var diagnostic = Assert.Single(diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(line, diagnostic.Line);
        Assert.Equal("w.yaml", diagnostic.File);
        Assert.True(diagnostic.Column >= 1);
    }

    [Theory]
    [InlineData("perSizeClass: 25%", "G4", 0.25)]
    [InlineData("perSizeClass: 25%", "<20k", 0.25)]
    [InlineData("perSizeClass: { G4: 50%, <20k: 0.2 }", "<20k", 0.2)]
    [InlineData("perSizeClass: { G4: 50%, <20k: 0.2 }", "100k+", null)]
    public void A_quorum_per_size_class_is_one_share_for_all_or_a_share_per_named_class(string setting, string sizeClass, double? expected)
    {
        var (definition, diagnostics) = Parse(Valid.Replace("rate: 40%", "rate: 40%, " + setting, StringComparison.Ordinal));
        Assert.Empty(diagnostics);
        Assert.Equal((decimal?)expected, definition!.FirstSettings<CollectSettings>()!.SizeClassQuorum!.For(sizeClass));
    }

    [Fact]
    public void A_definition_without_end_cannot_finish()
    {
        var (_, diagnostics) = Parse(Valid.Replace("  - id: einde\n    type: end", "", StringComparison.Ordinal).Replace("sluiten: einde", "sluiten: besluit", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message.Contains("no 'end' step", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cycle_that_cannot_reach_the_end_is_reported()
    {
        var (_, diagnostics) = Parse(Valid.Replace("sluiten: einde", "sluiten: uitnodigen", StringComparison.Ordinal)
            .Replace("    next: besluit", "    next: besluit\n  - id: los\n    type: end", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message == "step 'besluit' is in a cycle that can never reach an 'end' step" && d.Line == 26);
    }

    [Fact]
    public void A_loop_without_a_waiting_step_is_reported()
    {
        var (_, diagnostics) = Parse(Valid.Replace("    on: { herzien: uitnodigen, sluiten: einde }", "    on: { herzien: uitnodigen, sluiten: einde }\n  - id: a\n    type: render\n    next: b\n  - id: b\n    type: publish\n    next: a", StringComparison.Ordinal)
            .Replace("    next: besluit", "    next: a", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message.StartsWith("steps a → b → a loop without a step that waits", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_keys_are_reported_not_ignored()
    {
        var (_, diagnostics) = Parse(Valid.Replace("    window: P6W", "    window: P6W\n    windw: P2W", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message.StartsWith("unknown key 'windw'", StringComparison.Ordinal) && d.Line == 12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("- a list")]
    [InlineData("id: [unclosed")]
    [InlineData("\t tab: x")]
    [InlineData("steps: 5")]
    public void Malformed_files_give_diagnostics_not_exceptions(string yaml)
    {
        var (definition, diagnostics) = Parse(yaml);
        Assert.Null(definition);
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.True(d.Line >= 1));
    }

    [Fact]
    public void Mermaid_draws_every_step_and_outcome()
    {
        var mermaid = MermaidDiagram.Render(Parse(Valid).Item1!);
        Assert.StartsWith("flowchart TD\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("s_besluit -- herzien --> s_uitnodigen", mermaid, StringComparison.Ordinal);
        Assert.Contains("s_routeren --> s_uitnodigen", mermaid, StringComparison.Ordinal);
    }
}
