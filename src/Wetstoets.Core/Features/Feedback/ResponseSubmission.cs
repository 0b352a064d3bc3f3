using Wetstoets.Common;

namespace Wetstoets.Features.Feedback;

/// <summary>A response as it arrives on any intake path, before it is checked against the questionnaire.</summary>
public sealed record ResponseSubmission(
    string MunicipalityCode,
    IReadOnlyDictionary<string, string> Answers,
    IReadOnlyDictionary<string, string> Comments,
    IReadOnlyDictionary<string, string> Notes)
{
    /// <summary>Where each value stood in the file (keys <c>answers.&lt;id&gt;</c>, <c>comments.&lt;id&gt;</c>, <c>notes.&lt;id&gt;</c>), so problems can name it.</summary>
    public IReadOnlyDictionary<string, Diagnostic> Positions { get; init; } = new Dictionary<string, Diagnostic>();

    /// <summary>A problem with a value, prefixed with its file, line and column when the value came from a file.</summary>
    public Problem ProblemAt(string key, string message) =>
        Positions.TryGetValue(key, out var at) ? new Problem((at with { Message = message }).ToString()) : new Problem(message);
}

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
        var positions = new Dictionary<string, Diagnostic>(StringComparer.Ordinal);
        Dictionary<string, string> Read(string section) => yaml.Pairs(root, section).ToDictionary(p => p.Key, p =>
        {
            positions[$"{section}.{p.Key}"] = new Diagnostic(path, (int)p.Value.Node.Start.Line, (int)p.Value.Node.Start.Column, "");
            return p.Value.Value;
        });
        var answers = Read("answers");
        var comments = Read("comments");
        var notes = Read("notes");
        if (yaml.Child(root, "answers") is null)
        {
            yaml.Error(root, "'answers' is required");
        }
        return yaml.HasErrors
            ? Result<ResponseSubmission>.Fail(yaml.Diagnostics.Select(d => d.ToProblem()))
            : Result<ResponseSubmission>.Ok(new ResponseSubmission(municipality, answers, comments, notes) { Positions = positions });
    }
}
