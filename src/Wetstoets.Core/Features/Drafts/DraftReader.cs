using System.Globalization;
using System.Text.RegularExpressions;
using Wetstoets.Common;
using Wetstoets.Domain;

namespace Wetstoets.Features.Drafts;

/// <summary>The draft file (SPEC.md §4) as read, before it belongs to a review.</summary>
public sealed record DraftFile(Draft Draft, string? Workflow);

public static partial class DraftReader
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static Result<DraftFile> Read(string path, string text)
    {
        var yaml = YamlFile.Parse(path, text);
        if (yaml.Root is not { } root)
        {
            return Fail(yaml);
        }
        yaml.AllowOnly(root, "title", "law", "domains", "summary", "changes", "assumptions", "workflow", "panels", "deadline");
        var law = yaml.Map(root, "law", required: true);
        string? lawId = null, bwb = null, lawName = null;
        if (law is not null)
        {
            yaml.AllowOnly(law, "id", "bwb", "name");
            lawId = yaml.String(law, "id", required: true);
            bwb = yaml.String(law, "bwb");
            lawName = yaml.String(law, "name");
            if (lawId is not null && !LawId().IsMatch(lawId))
            {
                yaml.Error(yaml.Child(law, "id"), $"law id '{lawId}' must be lower-case letters, digits and dashes: it names the report folder");
            }
        }
        var changes = new List<DraftChange>();
        foreach (var change in yaml.Mappings(root, "changes"))
        {
            yaml.AllowOnly(change, "id", "article", "summary");
            var id = yaml.String(change, "id", required: true);
            if (id is null)
            {
                continue;
            }
            if (changes.Any(c => c.Id == id))
            {
                yaml.Error(change, $"change id '{id}' appears twice");
            }
            changes.Add(new DraftChange(id, yaml.String(change, "article", required: true) ?? "", yaml.String(change, "summary") ?? ""));
        }
        var assumptions = new List<DraftAssumption>();
        foreach (var assumption in yaml.Mappings(root, "assumptions"))
        {
            yaml.AllowOnly(assumption, "id", "text");
            var id = yaml.String(assumption, "id", required: true);
            if (id is not null)
            {
                assumptions.Add(new DraftAssumption(id, yaml.String(assumption, "text", required: true) ?? ""));
            }
        }
        var deadline = Deadline(yaml, root);
        var draft = new Draft
        {
            ReviewId = "",
            Title = yaml.String(root, "title", required: true) ?? "",
            LawId = lawId ?? "",
            LawName = lawName,
            Bwb = bwb,
            Domains = yaml.Strings(root, "domains"),
            Summary = yaml.String(root, "summary") ?? "",
            Changes = changes,
            Assumptions = assumptions,
            Panels = yaml.Strings(root, "panels"),
            Deadline = deadline,
        };
        if (draft.Title.Contains('\n', StringComparison.Ordinal))
        {
            yaml.Error(yaml.Child(root, "title"), "the title must be one line: it is the first line of the report's commit message");
        }
        if (draft.Domains.Count == 0 && draft.Panels.Count == 0 && !yaml.HasErrors)
        {
            yaml.Error(root, "a draft needs 'domains' (to route it) or 'panels'");
        }
        return yaml.HasErrors ? Fail(yaml) : Result<DraftFile>.Ok(new DraftFile(draft, yaml.String(root, "workflow")));
    }

    /// <summary>A date means the end of that day in Europe/Amsterdam; a date-time must carry its offset.</summary>
    private static DateTimeOffset? Deadline(YamlFile yaml, YamlDotNet.RepresentationModel.YamlMappingNode root)
    {
        var text = yaml.String(root, "deadline");
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var midnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(midnight, Amsterdam.GetUtcOffset(midnight)).ToUniversalTime();
        }
        if (text.Length > 19 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment)
            && OffsetSuffix().IsMatch(text))
        {
            return moment.ToUniversalTime();
        }
        yaml.Error(yaml.Child(root, "deadline"), $"deadline '{text}' must be a date (2027-01-15) or a date-time with offset (2027-01-15T17:00:00+01:00)");
        return null;
    }

    private static Result<DraftFile> Fail(YamlFile yaml) => Result<DraftFile>.Fail(yaml.Diagnostics.Select(d => d.ToProblem()));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex LawId();

    [GeneratedRegex(@"(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex OffsetSuffix();
}
