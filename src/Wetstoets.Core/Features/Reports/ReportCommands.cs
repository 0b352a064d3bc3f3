using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Reports;
using Wetstoets.Workflows;

namespace Wetstoets.Features.Reports;

/// <summary><c>report render</c> (no effect on the record) and <c>report publish</c> of the current round.</summary>
public sealed class ReportCommands(WetstoetsDbContext db, ReportBuilder builder, ReportPublisher publisher, TimeProvider clock)
{
    public async Task<Result<RenderedReport>> RenderAsync(string reviewId, CancellationToken ct)
    {
        var review = await db.Reviews.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return Problem.NotFound($"unknown review '{reviewId}'");
        }
        if (review.CurrentRound == 0)
        {
            return Result<RenderedReport>.Fail($"{reviewId} has no round yet");
        }
        var published = await db.ReportVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ReviewId == reviewId && v.Round == review.CurrentRound && v.PublishedAt != null, ct);
        if (published is not null)
        {
            return Result<RenderedReport>.Ok(new RenderedReport(published.Markdown, published.Html, published.DataJson));
        }
        var definition = await DefinitionStore.LoadAsync(db, review.WorkflowId, review.WorkflowVersion, ct);
        return Result<RenderedReport>.Ok(await builder.RenderAsync(review, review.CurrentRound, definition, ct));
    }

    /// <summary>Publishes the current round's rendered version; publishing it again creates nothing new.</summary>
    public async Task<Result<ReportVersion>> PublishAsync(string reviewId, string actor, CancellationToken ct)
    {
        var review = await db.Reviews.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return Problem.NotFound($"unknown review '{reviewId}'");
        }
        var version = await db.ReportVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ReviewId == reviewId && v.Round == review.CurrentRound, ct);
        if (version is null)
        {
            return Result<ReportVersion>.Fail($"{reviewId}: round {review.CurrentRound} has no report yet: it is rendered when the round closes");
        }
        if (version.PublishedAt is null)
        {
            var now = clock.GetUtcNow();
            // A worker may be publishing it right now: the queue then finds it published, and nothing is done twice.
            (version, var byThisCall) = await publisher.PublishAsync(review, review.CurrentRound, now, ct);
            if (byThisCall)
            {
                db.Audit.Add(new AuditEntry { At = now, Actor = actor, Action = "published", Subject = reviewId, Details = $"{version.Tag} {version.CommitSha}" });
                await db.SaveChangesAsync(ct);
                return Result<ReportVersion>.Ok(version);
            }
        }
        return Result<ReportVersion>.Ok(version, [$"{version.Tag} was published before ({version.CommitSha}): nothing new"]);
    }
}
