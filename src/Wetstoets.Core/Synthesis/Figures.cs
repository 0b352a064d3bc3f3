using Wetstoets.Questionnaires;

namespace Wetstoets.Synthesis;

/// <summary>The figures of one question over a set of responses. Statistics of an empty set are null.</summary>
public sealed record QuestionFigures(
    string QuestionId,
    QuestionType Type,
    int N,
    IReadOnlyDictionary<string, int>? Counts,
    decimal? Sum,
    decimal? Mean,
    decimal? Median,
    decimal? Min,
    decimal? Max)
{
    public bool IsNumeric => Type is QuestionType.Scale or QuestionType.Amount or QuestionType.Number;
}

public sealed record SizeClassFigures(string SizeClass, int Invited, int Responded, IReadOnlyList<QuestionFigures> Questions);

/// <summary>The synthesis of one round: what data.json holds and every report shows.</summary>
public sealed record AssessmentFigures(
    int Invited,
    int Responded,
    int Late,
    string? Verdict,
    IReadOnlyList<QuestionFigures> Questions,
    IReadOnlyList<SizeClassFigures> BySizeClass)
{
    public QuestionFigures? Question(string id) => Questions.FirstOrDefault(q => q.QuestionId == id);
}
