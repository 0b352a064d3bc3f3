namespace Wetstoets.Questionnaires;

/// <summary>Checks one answer against its question and gives it its canonical form.</summary>
public static class AnswerValidator
{
    public const int MaxTextLength = 10_000;

    /// <returns>The canonical value, or an error message in English for the log and the sender.</returns>
    public static (string? Value, string? Error) Normalise(Question question, string raw)
    {
        var text = raw.Trim();
        switch (question.Type)
        {
            case QuestionType.Choice:
                var option = question.Options.FirstOrDefault(o => string.Equals(o.Code, text, StringComparison.OrdinalIgnoreCase));
                return option is null
                    ? (null, $"'{question.Id}': '{text}' is not one of {string.Join(", ", question.Options.Select(o => o.Code))}")
                    : (option.Code, null);
            case QuestionType.Text:
                return text.Length > MaxTextLength
                    ? (null, $"'{question.Id}': the text is longer than {MaxTextLength} characters")
                    : (text, null);
            default:
                if (!DutchNumber.TryParse(text, out var number))
                {
                    return (null, $"'{question.Id}': '{text}' is not a number");
                }
                if (question.Type == QuestionType.Scale && number != decimal.Truncate(number))
                {
                    return (null, $"'{question.Id}': '{text}' must be a whole number from {question.Min} to {question.Max}");
                }
                if (question.Min is { } min && number < min || question.Max is { } max && number > max)
                {
                    return (null, $"'{question.Id}': {DutchNumber.ToInvariant(number)} is outside {question.Min}..{question.Max}");
                }
                if (question.Type is QuestionType.Amount or QuestionType.Number && number < 0 && question.Min is null)
                {
                    return (null, $"'{question.Id}': {DutchNumber.ToInvariant(number)} may not be negative");
                }
                return (DutchNumber.ToInvariant(number), null);
        }
    }
}
