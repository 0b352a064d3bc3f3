using System.Text.Json;
using System.Text.Json.Nodes;
using Wetstoets.Synthesis;

namespace Wetstoets.Reports;

/// <summary>Identifies a report version in data.json and in the report's header.</summary>
public sealed record ReportIdentity(string ReviewId, int Version, int Round, string LawId, string Title, bool IsDemo);

/// <summary>Writes data.json in the shape of SPEC.md §7: exact numbers, nulls for empty sets.</summary>
public static class DataJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(ReportIdentity identity, AssessmentFigures figures, IReadOnlyList<string> warnings)
    {
        var root = new JsonObject
        {
            ["review"] = identity.ReviewId,
            ["version"] = identity.Version,
            ["round"] = identity.Round,
            ["law"] = identity.LawId,
            ["title"] = identity.Title,
            ["demo"] = identity.IsDemo,
            ["invited"] = figures.Invited,
            ["responded"] = figures.Responded,
            ["late"] = figures.Late,
            ["verdict"] = figures.Verdict,
            ["questions"] = Questions(figures.Questions),
            ["bySizeClass"] = new JsonObject(figures.BySizeClass.Select(c => KeyValuePair.Create<string, JsonNode?>(c.SizeClass, new JsonObject
            {
                ["invited"] = c.Invited,
                ["responded"] = c.Responded,
                ["questions"] = Questions(c.Questions),
            }))),
            ["warnings"] = new JsonArray(warnings.Select(w => (JsonNode?)w).ToArray()),
        };
        return root.ToJsonString(Indented) + "\n";
    }

    private static JsonObject Questions(IEnumerable<QuestionFigures> questions) =>
        new(questions.Select(q => KeyValuePair.Create<string, JsonNode?>(q.QuestionId, Question(q))));

    private static JsonObject Question(QuestionFigures q)
    {
        var node = new JsonObject { ["n"] = q.N };
        if (q.Counts is not null)
        {
            node["counts"] = new JsonObject(q.Counts.Select(c => KeyValuePair.Create<string, JsonNode?>(c.Key, c.Value)));
        }
        else if (q.IsNumeric)
        {
            node["sum"] = Number(q.Sum);
            node["mean"] = Number(q.Mean);
            node["median"] = Number(q.Median);
            node["min"] = Number(q.Min);
            node["max"] = Number(q.Max);
        }
        return node;
    }

    /// <summary>Drops trailing zeros (12500.50 → 12500.5) so equal numbers always print alike.</summary>
    private static JsonNode? Number(decimal? value) => value is { } v ? JsonValue.Create(v / 1.000000000000000000000000000000000m) : null;
}
