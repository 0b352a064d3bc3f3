using Wetstoets.Domain;
using Wetstoets.Questionnaires;
using Wetstoets.Synthesis;
using Wetstoets.Workflows;

namespace Wetstoets.Core.Tests.Synthesis;

public class SynthesizerTests
{
    private static readonly Questionnaire Questionnaire = new("q", "Q",
    [
        new("oordeel", QuestionType.Choice, "?", [new("uitvoerbaar", "U"), new("uitvoerbaar-mits", "UM"), new("niet-uitvoerbaar", "N")], null, null, null, true),
        new("kosten-eenmalig", QuestionType.Amount, "?", [], 0, null, null, false),
        new("toelichting", QuestionType.Text, "?", [], null, null, null, false),
    ]);

    private static readonly SynthesiseSettings Rules = new("uitvoerbaar",
    [
        new VerdictRule("niet-uitvoerbaar", "oordeel", ["niet-uitvoerbaar"], null, 0.3m, null),
        new VerdictRule("niet-uitvoerbaar", "oordeel", ["niet-uitvoerbaar"], SizeClass.G4, null, 1),
        new VerdictRule("uitvoerbaar-mits", "oordeel", ["uitvoerbaar-mits", "niet-uitvoerbaar"], null, 0.3m, null),
    ]);

    private static CountedParticipant P(string code, string sizeClass, string? oordeel, string? kosten = null) =>
        new(code, code, sizeClass, oordeel is null ? null : new Dictionary<string, string>
        {
            ["oordeel"] = oordeel,
            ["kosten-eenmalig"] = kosten ?? "0",
        });

    [Fact]
    public void Empty_round_has_null_statistics_and_no_verdict()
    {
        var figures = Synthesizer.Synthesise(Questionnaire, [P("GM0001", SizeClass.Under20k, null)], 0, Rules);
        Assert.Equal(1, figures.Invited);
        Assert.Equal(0, figures.Responded);
        Assert.Null(figures.Verdict);
        var cost = figures.Question("kosten-eenmalig")!;
        Assert.Equal(0, cost.N);
        Assert.Null(cost.Sum);
        Assert.Null(cost.Mean);
        Assert.Null(cost.Median);
        Assert.Equal(0, figures.Question("oordeel")!.Counts!["uitvoerbaar"]);
        Assert.Equal(SizeClass.All, figures.BySizeClass.Select(c => c.SizeClass));
    }

    [Fact]
    public void Single_response_is_its_own_mean_median_min_and_max()
    {
        var figures = Synthesizer.Synthesise(Questionnaire, [P("GM0001", SizeClass.Under20k, "uitvoerbaar", "12500.5")], 0, Rules);
        var cost = figures.Question("kosten-eenmalig")!;
        Assert.Equal((1, 12500.5m, 12500.5m, 12500.5m, 12500.5m, 12500.5m), (cost.N, cost.Sum!.Value, cost.Mean!.Value, cost.Median!.Value, cost.Min!.Value, cost.Max!.Value));
        Assert.Equal("uitvoerbaar", figures.Verdict);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        var (sum, mean, median, min, max) = Statistics.Of([500m, 199_000m, 40_000m, 40_500m]);
        Assert.Equal(280_000m, sum);
        Assert.Equal(70_000m, mean);
        Assert.Equal(40_250m, median);
        Assert.Equal((500m, 199_000m), (min!.Value, max!.Value));
    }

    [Fact]
    public void Figures_are_split_per_size_class_and_late_responses_are_reported_apart()
    {
        var figures = Synthesizer.Synthesise(Questionnaire,
        [
            P("GM0363", SizeClass.G4, "uitvoerbaar"),
            P("GM0599", SizeClass.G4, null),
            P("GM0001", SizeClass.Under20k, "uitvoerbaar-mits"),
        ], late: 2, Rules);
        var g4 = figures.BySizeClass.Single(c => c.SizeClass == SizeClass.G4);
        Assert.Equal((2, 1), (g4.Invited, g4.Responded));
        Assert.Equal(1, g4.Questions.Single(q => q.QuestionId == "oordeel").Counts!["uitvoerbaar"]);
        Assert.Equal(2, figures.Late);
        Assert.Equal(3, figures.Invited);
    }

    [Fact]
    public void Thirty_percent_niet_uitvoerbaar_makes_the_verdict()
    {
        var participants = Enumerable.Range(0, 10).Select(i => P($"GM{i:D4}", SizeClass.Under20k, i < 3 ? "niet-uitvoerbaar" : "uitvoerbaar")).ToList();
        Assert.Equal("niet-uitvoerbaar", Synthesizer.Synthesise(Questionnaire, participants, 0, Rules).Verdict);
    }

    [Fact]
    public void Just_under_thirty_percent_does_not()
    {
        var participants = Enumerable.Range(0, 100).Select(i => P($"GM{i:D4}", SizeClass.Under20k, i < 29 ? "niet-uitvoerbaar" : "uitvoerbaar")).ToList();
        Assert.Equal("uitvoerbaar", Synthesizer.Synthesise(Questionnaire, participants, 0, Rules).Verdict);
    }

    [Fact]
    public void Any_G4_municipality_saying_niet_uitvoerbaar_makes_the_verdict()
    {
        var participants = Enumerable.Range(0, 20).Select(i => P($"GM{i:D4}", SizeClass.Under20k, "uitvoerbaar"))
            .Append(P("GM0363", SizeClass.G4, "niet-uitvoerbaar")).ToList();
        Assert.Equal("niet-uitvoerbaar", Synthesizer.Synthesise(Questionnaire, participants, 0, Rules).Verdict);
    }

    [Fact]
    public void Without_rules_the_most_frequent_answer_is_the_verdict()
    {
        var participants = new[] { P("GM0001", SizeClass.Under20k, "uitvoerbaar-mits"), P("GM0002", SizeClass.Under20k, "uitvoerbaar-mits"), P("GM0003", SizeClass.Under20k, "uitvoerbaar") };
        Assert.Equal("uitvoerbaar-mits", Synthesizer.Synthesise(Questionnaire, participants, 0, new SynthesiseSettings(null, [])).Verdict);
    }
}
