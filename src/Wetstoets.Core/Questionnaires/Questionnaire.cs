namespace Wetstoets.Questionnaires;

public enum QuestionType
{
    Choice,
    Scale,
    Amount,
    Number,
    Text,
}

public sealed record QuestionOption(string Code, string Label);

public sealed record Question(
    string Id,
    QuestionType Type,
    string Text,
    IReadOnlyList<QuestionOption> Options,
    decimal? Min,
    decimal? Max,
    string? Dimension,
    bool Required)
{
    public bool IsNumeric => Type is QuestionType.Scale or QuestionType.Amount or QuestionType.Number;
}

/// <summary>The questions a municipality answers; ids are part of the contract (SPEC.md §2).</summary>
public sealed record Questionnaire(string Id, string Title, IReadOnlyList<Question> Questions)
{
    public Question? Find(string id) => Questions.FirstOrDefault(q => q.Id == id);
}
