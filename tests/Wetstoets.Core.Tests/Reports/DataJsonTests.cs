using System.Text.Json.Nodes;
using Wetstoets.Domain;
using Wetstoets.Questionnaires;
using Wetstoets.Reports;
using Wetstoets.Synthesis;
using Wetstoets.Workflows;

namespace Wetstoets.Core.Tests.Reports;

public class DataJsonTests
{
    private static readonly Questionnaire Questionnaire = new("q", "Q",
    [
        new("oordeel", QuestionType.Choice, "?", [new("uitvoerbaar", "U"), new("niet-uitvoerbaar", "N")], null, null, null, true),
        new("kosten-eenmalig", QuestionType.Amount, "?", [], 0, null, null, false),
        new("toelichting", QuestionType.Text, "?", [], null, null, null, false),
    ]);

    private static JsonNode Write(params CountedParticipant[] participants)
    {
        var figures = Synthesizer.Synthesise(Questionnaire, participants, 1, new SynthesiseSettings(null, []));
        return JsonNode.Parse(DataJson.Write(new ReportIdentity("WT-2026-0001", 1, 1, "participatiewet", "T", false), figures, []))!;
    }

    [Fact]
    public void Has_the_shape_of_the_contract()
    {
        var json = Write(
            new("GM0363", "Amsterdam", SizeClass.G4, new Dictionary<string, string> { ["oordeel"] = "uitvoerbaar", ["kosten-eenmalig"] = "12500.50", ["toelichting"] = "x" }),
            new("GM0001", "Klein", SizeClass.Under20k, new Dictionary<string, string> { ["oordeel"] = "niet-uitvoerbaar", ["kosten-eenmalig"] = "500" }));
        Assert.Equal("WT-2026-0001", (string?)json["review"]);
        Assert.Equal(2, (int)json["invited"]!);
        Assert.Equal(2, (int)json["responded"]!);
        Assert.Equal(1, (int)json["late"]!);
        Assert.Equal(1, (int)json["questions"]!["oordeel"]!["counts"]!["uitvoerbaar"]!);
        // Exact numbers, trailing zeros dropped: 13000.5 / 2.
        Assert.Equal("6500.25", json["questions"]!["kosten-eenmalig"]!["mean"]!.ToJsonString());
        Assert.Equal("13000.5", json["questions"]!["kosten-eenmalig"]!["sum"]!.ToJsonString());
        Assert.Equal(1, (int)json["questions"]!["toelichting"]!["n"]!);
        Assert.Null(json["questions"]!["toelichting"]!["mean"]);
        Assert.Equal(SizeClass.All, json["bySizeClass"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Statistics_of_an_empty_set_are_null_not_missing()
    {
        var cost = Write(new CountedParticipant("GM0001", "Klein", SizeClass.Under20k, null))["questions"]!["kosten-eenmalig"]!.AsObject();
        Assert.Equal(0, (int)cost["n"]!);
        foreach (var key in new[] { "sum", "mean", "median", "min", "max" })
        {
            Assert.True(cost.ContainsKey(key), key);
            Assert.Null(cost[key]);
        }
    }
}

public class ReportDiffTests
{
    [Fact]
    public void Lists_added_removed_and_modified_changes_and_the_verdict_shift()
    {
        var before = new Draft { ReviewId = "R", Title = "T", LawId = "l", Changes = [new("a", "A", "x"), new("b", "B", "y")] };
        var after = new Draft { ReviewId = "R", Title = "T2", LawId = "l", Changes = [new("a", "A", "x2"), new("c", "C", "z")] };
        var was = new AssessmentFigures(10, 8, 0, "niet-uitvoerbaar", [new("oordeel", QuestionType.Choice, 8, new Dictionary<string, int> { ["uitvoerbaar"] = 2 }, null, null, null, null, null)], []);
        var now = new AssessmentFigures(10, 9, 0, "uitvoerbaar", [new("oordeel", QuestionType.Choice, 9, new Dictionary<string, int> { ["uitvoerbaar"] = 7 }, null, null, null, null, null)], []);
        var diff = ReportDiff.Compare(1, before, after, was, now);
        Assert.Equal("c", Assert.Single(diff.Added).Id);
        Assert.Equal("b", Assert.Single(diff.Removed).Id);
        Assert.Equal("a", Assert.Single(diff.Modified).Id);
        Assert.True(diff.TitleChanged);
        Assert.Equal(("niet-uitvoerbaar", "uitvoerbaar"), (diff.VerdictBefore, diff.VerdictAfter));
        Assert.Equal(new ShiftRow("oordeel", "uitvoerbaar", 2, 7), Assert.Single(diff.Shifts));
    }
}

public class DutchFunctionsTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;")]
    [InlineData("*vet* en [link](http://x)", "\\*vet\\* en \\[link\\]\\(http://x\\)")]
    [InlineData("regel\nregel", "regel regel")]
    [InlineData("# kop", "\\# kop")]
    [InlineData("1. Eerst de software", "1\\. Eerst de software")]
    [InlineData("2024. Een jaartal", "2024\\. Een jaartal")]
    [InlineData("Versie 1.5 en 10.000 euro", "Versie 1.5 en 10.000 euro")]
    [InlineData("Uitvoerbaar, mits", "Uitvoerbaar, mits")]
    [InlineData("2024", "2024")]
    [InlineData("", "")]
    [InlineData("regel\r\nregel", "regel regel")]
    public void Markdown_escaping_neutralises_markup(string text, string expected) => Assert.Equal(expected, DutchFunctions.Markdown(text));

    [Fact]
    public void Amounts_are_written_the_Dutch_way() => Assert.Equal("€ 1.234.500", DutchFunctions.Euro(1234500m));
}
