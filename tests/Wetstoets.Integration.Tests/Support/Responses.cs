namespace Wetstoets.Integration.Tests.Support;

/// <summary>Response files as municipalities write them for <c>feedback submit</c>.</summary>
public static class Responses
{
    public static string For(string code, string oordeel = "uitvoerbaar", string kosten = "€ 12.500,50", string toelichting = "Goed uitvoerbaar.",
        string citeren = "ja", string? comment = null) => $"""
        municipality: {code}
        answers:
          oordeel: {oordeel}
          impact: middelgroot
          risico: klein
          past-bij-taken: 4
          financiering-toereikend: 2
          kosten-eenmalig: "{kosten}"
          kosten-structureel: 5000
          fte: "1,5"
          ict: 3
          invoeringstermijn-maanden: 6
          doenvermogen: 4
          handhaafbaarheid: 4
          gegevensuitwisseling: bestaand
          toelichting: "{toelichting}"
          citeren: {citeren}
        {(comment is null ? "" : $"comments:\n  art-31: \"{comment}\"\n")}
        """;
}
