using System.Globalization;
using System.Text;
using Wetstoets.Domain;

namespace Wetstoets.Cli.Demo;

/// <summary>
/// Fictitious answers for the demo, written as the response files people send with <c>feedback submit</c>.
/// Seeded, so every demo tells the same story: round 1 is sceptical, round 2 (the revised draft) less so.
/// </summary>
public sealed class DemoAnswers(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly string[] Explanations =
    [
        "Maandelijkse verrekening vraagt aanpassing van ons uitkeringssysteem; de leverancier heeft een half jaar nodig.",
        "Past goed bij onze werkwijze, mits de *uitvoeringskosten* worden gecompenseerd.",
        "Voor inwoners met wisselende inkomsten wordt het eenvoudiger. Wij zien wel meer werk bij de klantmanagers.",
        "Onze consulenten moeten <b>opnieuw</b> worden opgeleid; zonder extra middelen lukt dat niet binnen de termijn.",
        "Het voorstel is in onze kleine gemeente goed uit te voeren via de regionale sociale dienst.",
    ];

    public string ResponseYaml(RoundParticipant participant, int round, IReadOnlyList<DraftChange> changes)
    {
        var large = participant.SizeClass is SizeClass.G4 or SizeClass.Over100k;
        // The revised draft answers the main objections: judgements shift towards "uitvoerbaar".
        var roll = _random.NextDouble() + (round > 1 ? 0.25 : 0);
        var verdict = roll < 0.25 ? "niet-uitvoerbaar" : roll < 0.75 ? "uitvoerbaar-mits" : "uitvoerbaar";
        var scale = large ? 1.6m : 1m;
        var once = Math.Round((decimal)(_random.Next(5, 120) * 1000) * scale, 0);
        var yearly = Math.Round((decimal)(_random.Next(2, 60) * 1000) * scale, 0);
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"municipality: {participant.MunicipalityCode}\n");
        yaml.Append("answers:\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  oordeel: {verdict}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  impact: {Pick("beperkt", "middelgroot", "ingrijpend")}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  risico: {Pick("klein", "gemiddeld", "groot")}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  past-bij-taken: {_random.Next(2, 6)}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  financiering-toereikend: {_random.Next(1, round > 1 ? 6 : 4)}\n");
        // Amounts as Dutch people write them: the intake reads both notations.
        yaml.Append(CultureInfo.InvariantCulture, $"  kosten-eenmalig: \"€ {once.ToString("N0", CultureInfo.GetCultureInfo("nl-NL"))}\"\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  kosten-structureel: {yearly}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  fte: \"{(_random.Next(1, 12) / 2m * (large ? 2 : 1)).ToString("0.#", CultureInfo.GetCultureInfo("nl-NL"))}\"\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  ict: {_random.Next(1, 6)}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  invoeringstermijn-maanden: {_random.Next(3, 13)}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  doenvermogen: {_random.Next(2, 6)}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  handhaafbaarheid: {_random.Next(2, 6)}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  gegevensuitwisseling: {Pick("geen", "bestaand", "nieuw")}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  toelichting: \"{Explanations[_random.Next(Explanations.Length)]}\"\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  citeren: {(_random.NextDouble() < 0.6 ? "ja" : "nee")}\n");
        if (changes.Count > 0 && _random.NextDouble() < 0.5)
        {
            var change = changes[_random.Next(changes.Count)];
            yaml.Append("comments:\n");
            yaml.Append(CultureInfo.InvariantCulture, $"  {change.Id}: \"Graag verduidelijken hoe {change.Article.ToLowerInvariant()} zich verhoudt tot de bestaande verrekening.\"\n");
        }
        return yaml.ToString();
    }

    private string Pick(params string[] options) => options[_random.Next(options.Length)];
}
