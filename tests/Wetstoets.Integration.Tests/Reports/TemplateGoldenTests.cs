using System.Runtime.CompilerServices;
using Wetstoets.Domain;
using Wetstoets.Mail;
using Wetstoets.Reports;

namespace Wetstoets.Integration.Tests.Reports;

/// <summary>
/// Every shipped template rendered with fixed models, compared byte for byte with golden files. After a
/// deliberate template change, run the tests with WETSTOETS_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public sealed class TemplateGoldenTests
{
    private static readonly TemplateRenderer Templates = new([Path.Combine(AppContext.BaseDirectory, "templates")]);
    private static readonly DateTimeOffset Opened = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = new(2027, 1, 15, 23, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Cases => new()
    {
        { "rapport.md.sbn", "rapport-v1" }, { "rapport.html.sbn", "rapport-v1" },
        { "rapport.md.sbn", "rapport-v2" }, { "rapport.html.sbn", "rapport-v2" },
        { "rapport.md.sbn", "rapport-leeg" },
        { "index.md.sbn", "index" },
        { "uitnodiging.html.sbn", "uitnodiging" }, { "uitnodiging.txt.sbn", "uitnodiging" },
        { "herinnering.html.sbn", "herinnering" }, { "herinnering.txt.sbn", "herinnering" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Template_output_matches_its_golden_file(string template, string model)
    {
        var actual = Templates.Render(template, Model(model));
        var golden = Path.Combine(GoldenFolder(), $"{model}.{template.Replace(".sbn", "", StringComparison.Ordinal)}.golden");
        if (Environment.GetEnvironmentVariable("WETSTOETS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, actual);
        }
        Assert.True(File.Exists(golden), $"missing golden file {golden}: run with WETSTOETS_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(golden), actual);
    }

    [Fact]
    public void Free_text_is_escaped_in_every_report_format()
    {
        foreach (var template in new[] { "rapport.md.sbn", "rapport.html.sbn" })
        {
            var output = Templates.Render(template, Model("rapport-v1"));
            Assert.DoesNotContain("<img src=x", output, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", output, StringComparison.Ordinal);
        }
    }

    private static object Model(string name) => name switch
    {
        "rapport-v1" => Report(1, null),
        "rapport-v2" => Report(2, new ChangesSincePrevious(1, true, false, [new("art-18a", "Artikel 18a", "Nieuw")], [new("art-58", "Artikel 58", "Vervalt")],
            [new("art-31", "Artikel 31", "Anders")], "niet-uitvoerbaar", "uitvoerbaar-mits", 3, 4,
            [new("oordeel", "uitvoerbaar", 1, 2), new("oordeel", "niet-uitvoerbaar", 2, 0)])),
        "rapport-leeg" => Report(1, null) with
        {
            Responded = 0, ResponseRate = 0, Verdict = null, VerdictLabel = "Geen oordeel", Quotes = [], ArticleComments = [],
            Questions = [Choice(0, 0, 0), Amount(0, null, null, null, null, null)], ClosedAt = null, LateResponses = [],
        },
        "index" => new IndexModel([
            new IndexRow("WT-2026-0001", "participatiewet", "Wijziging *Participatiewet*", 2, "uitvoerbaar-mits", "Uitvoerbaar, mits", "participatiewet/WT-2026-0001", false),
            new IndexRow("WT-2026-0002", "wmo", "Demo | test", 1, null, "Geen oordeel", "wmo/WT-2026-0002", true)]),
        "uitnodiging" => Mail(0),
        "herinnering" => Mail(1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static InvitationMailModel Mail(int reminder) => new("WT-2026-0001", 1, "Wijziging Participatiewet", "Participatiewet", "GM0363", "Amsterdam",
        "A. de Vries", "https://wetstoets.example.nl/t/abcDEF123_-", Deadline, "Korte **samenvatting** <b>met</b> opmaak.",
        [new("art-31", "Artikel 31, tweede lid", "Maandelijkse vrijlating.")], IsDemo: reminder == 1, reminder);

    private static QuestionRow Choice(int yes, int conditional, int no)
    {
        var n = yes + conditional + no;
        decimal? Share(int count) => n == 0 ? null : (decimal)count / n;
        return new QuestionRow("oordeel", "Is de wijziging uitvoerbaar?", "choice", "uitvoerbaarheid", n,
            [new("uitvoerbaar", "Uitvoerbaar", yes, Share(yes)), new("uitvoerbaar-mits", "Uitvoerbaar, mits", conditional, Share(conditional)),
             new("niet-uitvoerbaar", "Niet uitvoerbaar", no, Share(no))], null, null, null, null, null);
    }

    private static QuestionRow Amount(int n, decimal? sum, decimal? mean, decimal? median, decimal? min, decimal? max) =>
        new("kosten-eenmalig", "Eenmalige kosten (in euro)", "amount", "financien", n, [], sum, mean, median, min, max);

    private static ReportModel Report(int version, ChangesSincePrevious? since) => new(
        "WT-2026-0001", "uitvoeringstoets", version, version, version == 2, "Wijziging Participatiewet <b>bijverdiensten</b>", "participatiewet", "Participatiewet",
        "BWBR0015703", "Samenvatting met *Markdown*.", [new("art-31", "Artikel 31 [tweede lid]", "Vrijlating <script>x</script>")],
        [new("BV1", "Gemeenten kunnen maandelijks verrekenen.")], Opened, Deadline, Deadline.AddMinutes(1),
        4, 3, 0.75m, "uitvoerbaar-mits", "Uitvoerbaar, mits",
        [new(SizeClass.G4, 2, 2, 1m, [Choice(1, 1, 0)]), new(SizeClass.Under20k, 2, 1, 0.5m, [Choice(0, 1, 0)])],
        [Choice(1, 2, 0), Amount(3, 141000.5m, 47000.166666666666666666666667m, 40250m, 500m, 100250.5m),
         new QuestionRow("toelichting", "Toelichting", "text", null, 2, [], null, null, null, null, null)],
        [new("Amsterdam", SizeClass.G4, "toelichting", "Lastig <img src=x onerror=alert(1)> | *vet* \n# kop")],
        [new("art-31", "Artikel 31 [tweede lid]", [new("Utrecht", SizeClass.G4, "artikel:art-31", "Graag `code` uitleggen")], 1)],
        [new("Vaals", Deadline.AddHours(2))],
        [new("GM0363", "Amsterdam", SizeClass.G4, true), new("GM0981", "Vaals", SizeClass.Under20k, false)],
        ["ronde 1: quorum niet gehaald (3 van 4 gemeenten gereageerd, quorum 80%)"],
        since);

    private static string GoldenFolder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Golden");
}
