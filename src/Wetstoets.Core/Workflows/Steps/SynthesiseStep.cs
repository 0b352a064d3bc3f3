using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Synthesis;

namespace Wetstoets.Workflows.Steps;

/// <summary>Computes the figures and the verdict of the closed round and keeps them as the round's assessment.</summary>
public sealed class SynthesiseStep : IStepHandler
{
    public string Type => StepTypes.Synthesise;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        var review = context.Review;
        var figures = await RoundSynthesis.ComputeAsync(context.Db, review.Id, review.CurrentRound,
            context.Definition.Questionnaire, context.Settings<SynthesiseSettings>(), ct);
        var assessment = await context.Db.Assessments.SingleOrDefaultAsync(a => a.ReviewId == review.Id && a.Round == review.CurrentRound, ct);
        if (assessment is null)
        {
            assessment = new Assessment { ReviewId = review.Id, Round = review.CurrentRound, DataJson = "" };
            context.Db.Assessments.Add(assessment);
        }
        context.Produced.Figures = figures;
        assessment.DataJson = RoundSynthesis.Serialize(figures);
        assessment.Verdict = figures.Verdict;
        assessment.CreatedAt = context.Now;
        context.Audit("synthesised", $"round {review.CurrentRound}: {figures.Responded} of {figures.Invited} responded, verdict {figures.Verdict ?? "none"}");
        return new StepResult.Continue();
    }
}
