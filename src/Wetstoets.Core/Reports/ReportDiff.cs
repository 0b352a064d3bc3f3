using Wetstoets.Domain;
using Wetstoets.Synthesis;

namespace Wetstoets.Reports;

/// <summary>Compares two rounds: what the ministry changed in the draft, and how the judgement shifted.</summary>
public static class ReportDiff
{
    public static ChangesSincePrevious Compare(int previousVersion, Draft before, Draft after, AssessmentFigures was, AssessmentFigures now)
    {
        var added = after.Changes.Where(c => before.Changes.All(b => b.Id != c.Id)).ToList();
        var removed = before.Changes.Where(c => after.Changes.All(a => a.Id != c.Id)).ToList();
        var modified = after.Changes.Where(c => before.Changes.Any(b => b.Id == c.Id && (b.Summary != c.Summary || b.Article != c.Article))).ToList();
        var shifts = new List<ShiftRow>();
        foreach (var question in now.Questions.Where(q => q.Counts is not null))
        {
            var previous = was.Question(question.QuestionId)?.Counts;
            foreach (var (option, count) in question.Counts!)
            {
                shifts.Add(new ShiftRow(question.QuestionId, option, previous?.GetValueOrDefault(option) ?? 0, count));
            }
        }
        return new ChangesSincePrevious(
            previousVersion,
            before.Title != after.Title,
            before.Summary != after.Summary,
            added, removed, modified,
            was.Verdict, now.Verdict, was.Responded, now.Responded,
            shifts.Where(s => s.QuestionId is "oordeel" or "impact" or "risico").ToList());
    }
}
