using Microsoft.EntityFrameworkCore;

namespace Wetstoets.Workflows.Steps;

/// <summary>Chooses the panels once per review; later rounds go to the same panels.</summary>
public sealed class RouteStep : IStepHandler
{
    public string Type => StepTypes.Route;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        var review = context.Review;
        var draft = await context.Db.Drafts.Where(d => d.ReviewId == review.Id).OrderBy(d => d.Version).FirstAsync(ct);
        var routing = await PanelRouting.ChooseAsync(context.Db, draft, context.Settings<RouteSettings>(), ct);
        if (!routing.IsSuccess)
        {
            throw new InvalidOperationException(routing.Problems[0].Message);
        }
        review.Panels = [.. routing.Value!.Panels];
        review.Warnings = [.. review.Warnings.Union(routing.Warnings)];
        context.Audit("routed", $"panels: {string.Join(", ", review.Panels)}");
        return new StepResult.Continue();
    }
}
