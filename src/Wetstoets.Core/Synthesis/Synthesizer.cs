using System.Globalization;
using Wetstoets.Domain;
using Wetstoets.Questionnaires;
using Wetstoets.Workflows;

namespace Wetstoets.Synthesis;

/// <summary>A municipality invited to the round, with its counted answers (none when it did not respond).</summary>
public sealed record CountedParticipant(string Code, string Name, string SizeClass, IReadOnlyDictionary<string, string>? Answers);

/// <summary>Turns the counted responses of a round into figures and the overall verdict.</summary>
public static class Synthesizer
{
    public static AssessmentFigures Synthesise(
        Questionnaire questionnaire, IReadOnlyList<CountedParticipant> participants, int late, SynthesiseSettings settings)
    {
        var responded = participants.Where(p => p.Answers is not null).ToList();
        var bySizeClass = SizeClass.All.Select(sizeClass =>
        {
            var invited = participants.Where(p => p.SizeClass == sizeClass).ToList();
            var answered = invited.Where(p => p.Answers is not null).ToList();
            return new SizeClassFigures(sizeClass, invited.Count, answered.Count, Figures(questionnaire, answered));
        }).ToList();
        return new AssessmentFigures(
            participants.Count,
            responded.Count,
            late,
            Verdict(settings, responded),
            Figures(questionnaire, responded),
            bySizeClass);
    }

    private static List<QuestionFigures> Figures(Questionnaire questionnaire, IReadOnlyList<CountedParticipant> responded) =>
        questionnaire.Questions.Select(q => Figure(q, responded.Select(p => p.Answers!.GetValueOrDefault(q.Id)).OfType<string>().ToList())).ToList();

    private static QuestionFigures Figure(Question question, IReadOnlyList<string> answers)
    {
        switch (question.Type)
        {
            case QuestionType.Choice:
                var counts = question.Options.ToDictionary(o => o.Code, o => answers.Count(a => a == o.Code));
                return new QuestionFigures(question.Id, question.Type, answers.Count, counts, null, null, null, null, null);
            case QuestionType.Text:
                return new QuestionFigures(question.Id, question.Type, answers.Count(a => a.Length > 0), null, null, null, null, null, null);
            default:
                var values = answers.Select(a => decimal.Parse(a, NumberStyles.Number, CultureInfo.InvariantCulture)).ToList();
                var (sum, mean, median, min, max) = Statistics.Of(values);
                return new QuestionFigures(question.Id, question.Type, values.Count, null, sum, mean, median, min, max);
        }
    }

    /// <summary>The first rule that holds decides; with no response there is no verdict.</summary>
    public static string? Verdict(SynthesiseSettings settings, IReadOnlyList<CountedParticipant> responded)
    {
        if (responded.Count == 0)
        {
            return null;
        }
        foreach (var rule in settings.Rules)
        {
            var answers = responded.Where(p => rule.SizeClass is null || p.SizeClass == rule.SizeClass)
                .Select(p => p.Answers!.GetValueOrDefault(rule.Question)).OfType<string>().ToList();
            if (answers.Count == 0)
            {
                continue;
            }
            var matching = answers.Count(rule.Answers.Contains);
            var holds = (rule.AtLeastCount is not { } count || matching >= count)
                && (rule.AtLeastShare is not { } share || matching > 0 && (decimal)matching / answers.Count >= share);
            if (holds)
            {
                return rule.Verdict;
            }
        }
        return settings.DefaultVerdict ?? MostFrequent(responded);
    }

    private static string? MostFrequent(IReadOnlyList<CountedParticipant> responded) =>
        responded.Select(p => p.Answers!.GetValueOrDefault("oordeel")).OfType<string>()
            .GroupBy(a => a).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault()?.Key;
}
