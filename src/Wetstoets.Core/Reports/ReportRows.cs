using Wetstoets.Questionnaires;
using Wetstoets.Synthesis;

namespace Wetstoets.Reports;

internal static class ReportRows
{
    public static IReadOnlyList<QuestionRow> Questions(Questionnaire questionnaire, IReadOnlyList<QuestionFigures> figures) =>
        questionnaire.Questions.Select(q =>
        {
            var f = figures.FirstOrDefault(x => x.QuestionId == q.Id);
            var n = f?.N ?? 0;
            var options = q.Options.Select(o =>
            {
                var count = f?.Counts?.GetValueOrDefault(o.Code) ?? 0;
                return new OptionRow(o.Code, o.Label, count, n == 0 ? null : (decimal)count / n);
            }).ToList();
            return new QuestionRow(q.Id, q.Text, q.Type.ToString().ToLowerInvariant(), q.Dimension, n, options,
                f?.Sum, f?.Mean, f?.Median, f?.Min, f?.Max);
        }).ToList();
}
