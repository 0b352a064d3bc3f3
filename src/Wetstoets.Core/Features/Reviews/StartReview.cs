using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Drafts;
using Wetstoets.Persistence;
using Wetstoets.Workflows;

namespace Wetstoets.Features.Reviews;

public sealed record StartedReview(string ReviewId, RunOutcome Outcome);

/// <summary>Starts a review of a draft: checks it, routes it, opens round 1 and invites the panels.</summary>
public sealed class StartReview(WetstoetsDbContext db, WorkflowCatalog catalog, WorkflowRunner runner, TimeProvider clock)
{
    public const string DefaultWorkflow = "uitvoeringstoets";
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public async Task<Result<StartedReview>> ExecuteAsync(string draftPath, string draftYaml, string? workflowId, bool isDemo, string actor, CancellationToken ct)
    {
        var read = DraftReader.Read(draftPath, draftYaml);
        if (!read.IsSuccess)
        {
            return Result<StartedReview>.Fail(read.Problems);
        }
        var (draft, draftWorkflow) = read.Value!;
        var id = workflowId ?? draftWorkflow ?? DefaultWorkflow;
        var (sources, invalid) = catalog.LoadAll();
        if (invalid.Count > 0)
        {
            // A broken file may be the newest version of this very workflow: never fall back to an older one.
            return Result<StartedReview>.Fail(invalid.Select(d => d.ToProblem()).ToList());
        }
        var source = WorkflowCatalog.LatestOf(sources).FirstOrDefault(s => s.Definition.Id == id);
        if (source is null)
        {
            return Problem.NotFound($"unknown workflow '{id}' (see 'wetstoets workflows list')");
        }
        if (await DefinitionStore.ChangedInPlaceAsync(db, source, ct) is { } changed)
        {
            return Result<StartedReview>.Fail(changed);
        }
        var now = clock.GetUtcNow();
        if (draft.Deadline is { } deadline && deadline <= now)
        {
            return Result<StartedReview>.Fail($"{draftPath}: the deadline {deadline:O} has passed");
        }
        var routeSettings = source.Definition.FirstSettings<RouteSettings>() ?? new RouteSettings([], 0);
        var routing = await PanelRouting.ChooseAsync(db, draft, routeSettings, ct);
        if (!routing.IsSuccess)
        {
            return Result<StartedReview>.Fail(routing.Problems);
        }

        var reviewId = await SaveAsync(draft, source, isDemo, actor, now, ct);
        var outcome = await runner.RunAsync(reviewId, null, actor, ct);
        return Result<StartedReview>.Ok(new StartedReview(reviewId, outcome), routing.Warnings);
    }

    private async Task<string> SaveAsync(Draft draft, WorkflowSource source, bool isDemo, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var year = TimeZoneInfo.ConvertTime(now, Amsterdam).Year;
        for (var attempt = 1; ; attempt++)
        {
            var prefix = $"WT-{year}-";
            var existing = await db.Reviews.Where(r => r.Id.StartsWith(prefix)).Select(r => r.Id).ToListAsync(ct);
            var next = existing.Select(e => int.Parse(e[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max() + 1;
            var reviewId = $"{prefix}{next:D4}";
            await DefinitionStore.SaveAsync(db, source, clock, ct);
            var workflow = source.Definition;
            db.Reviews.Add(new Review
            {
                Id = reviewId, Kind = workflow.Kind, Title = draft.Title, LawId = draft.LawId, WorkflowId = workflow.Id,
                WorkflowVersion = workflow.Version, CurrentStepId = workflow.First.Id, State = ReviewState.Running,
                IsDemo = isDemo, CreatedAt = now, UpdatedAt = now,
            });
            draft.ReviewId = reviewId;
            draft.Version = 1;
            draft.CreatedAt = now;
            db.Drafts.Add(draft);
            db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "review-started", Subject = reviewId, Details = $"workflow {workflow.Id} v{workflow.Version}: {draft.Title}" });
            try
            {
                await db.SaveChangesAsync(ct);
                return reviewId;
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // Another process took the same sequence number: take the next one.
                db.ChangeTracker.Clear();
                draft.Id = 0;
            }
        }
    }
}
