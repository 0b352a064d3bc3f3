using Wetstoets.Common;

namespace Wetstoets.Features.Feedback;

/// <summary>A response as it arrives on any intake path, before it is checked against the questionnaire.</summary>
public sealed record ResponseSubmission(
    string MunicipalityCode,
    IReadOnlyDictionary<string, string> Answers,
    IReadOnlyDictionary<string, string> Comments,
    IReadOnlyDictionary<string, string> Notes);

/// <summary>Reads the response file of <c>feedback submit</c> (SPEC.md §4).</summary>
public static class ResponseReader
{
    public static Result<ResponseSubmission> Read(string path, string text)
    {
        var yaml = YamlFile.Parse(path, text);
        if (yaml.Root is not { } root)
        {
            return Result<ResponseSubmission>.Fail(yaml.Diagnostics.Select(d => d.ToProblem()));
        }
        yaml.AllowOnly(root, "municipality", "answers", "comments", "notes");
        var municipality = yaml.String(root, "municipality", required: true) ?? "";
        var answers = yaml.Pairs(root, "answers").ToDictionary(p => p.Key, p => p.Value.Value);
        var comments = yaml.Pairs(root, "comments").ToDictionary(p => p.Key, p => p.Value.Value);
        var notes = yaml.Pairs(root, "notes").ToDictionary(p => p.Key, p => p.Value.Value);
        if (yaml.Child(root, "answers") is null)
        {
            yaml.Error(root, "'answers' is required");
        }
        return yaml.HasErrors
            ? Result<ResponseSubmission>.Fail(yaml.Diagnostics.Select(d => d.ToProblem()))
            : Result<ResponseSubmission>.Ok(new ResponseSubmission(municipality, answers, comments, notes));
    }
}
