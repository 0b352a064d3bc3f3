using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;
using Wetstoets.Workflows;

namespace Wetstoets.Reports;

/// <summary>Puts a rendered report version, with the updated index, into the report repository.</summary>
public sealed class ReportPublisher(WetstoetsDbContext db, IReportRepository repository, ReportBuilder builder)
{
    public static string Folder(string lawId, string reviewId) => $"{lawId}/{reviewId}";

    /// <summary>Publishes the version of a round; a version published before is returned as it is.</summary>
    public async Task<ReportVersion> PublishAsync(string reviewId, int round, DateTimeOffset now, CancellationToken ct)
    {
        var version = await db.ReportVersions.SingleOrDefaultAsync(v => v.ReviewId == reviewId && v.Round == round, ct)
            ?? throw new InvalidOperationException($"{reviewId} round {round} has no rendered report to publish");
        if (version.PublishedAt is not null)
        {
            return version;
        }
        var review = await db.Reviews.AsNoTracking().SingleAsync(r => r.Id == reviewId, ct);
        var draft = await db.Drafts.AsNoTracking().SingleAsync(d => d.ReviewId == reviewId && d.Version == round, ct);
        var folder = Folder(review.LawId, reviewId);
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{folder}/rapport.md"] = version.Markdown,
            [$"{folder}/rapport.html"] = version.Html,
            [$"{folder}/data.json"] = version.DataJson,
            ["README.md"] = builder.RenderIndex(await IndexAsync(review, version, draft.Title, ct)),
        };
        var published = await repository.PublishAsync(new ReportPublication(reviewId, version.Version, draft.Title, review.LawId, files), ct);
        version.CommitSha = published.CommitSha;
        version.Tag = published.Tag;
        version.PublishedAt = now;
        return version;
    }

    /// <summary>
    /// Every review with its latest published version, plus the version being published. Read as narrow
    /// projections: the index is rebuilt on every publication, and the report texts are large.
    /// </summary>
    private async Task<IndexModel> IndexAsync(Review review, ReportVersion publishing, string title, CancellationToken ct)
    {
        var published = await db.ReportVersions.AsNoTracking().Where(v => v.PublishedAt != null && v.ReviewId != review.Id)
            .Select(v => new { v.ReviewId, v.Version, v.Round }).ToListAsync(ct);
        var latest = published.GroupBy(v => v.ReviewId).Select(g => g.MaxBy(v => v.Version)!).ToList();
        var reviews = await db.Reviews.AsNoTracking().Where(r => r.Id != review.Id)
            .Select(r => new IndexedReview(r.Id, r.LawId, r.Title, r.WorkflowId, r.WorkflowVersion, r.IsDemo)).ToDictionaryAsync(r => r.Id, ct);
        var titles = (await db.Drafts.AsNoTracking().Select(d => new { d.ReviewId, d.Version, d.Title }).ToListAsync(ct))
            .ToDictionary(d => (d.ReviewId, d.Version), d => d.Title);
        var verdicts = (await db.Assessments.AsNoTracking().Select(a => new { a.ReviewId, a.Round, a.Verdict }).ToListAsync(ct))
            .ToDictionary(a => (a.ReviewId, a.Round), a => a.Verdict);

        var rows = new List<IndexRow>();
        var entries = latest.Select(v => (reviews[v.ReviewId], v.Version, v.Round, titles.GetValueOrDefault((v.ReviewId, v.Round)) ?? reviews[v.ReviewId].Title))
            .Append((new IndexedReview(review.Id, review.LawId, review.Title, review.WorkflowId, review.WorkflowVersion, review.IsDemo), publishing.Version, publishing.Round, title));
        foreach (var (r, version, round, versionTitle) in entries)
        {
            var verdict = verdicts.GetValueOrDefault((r.Id, round));
            var definition = await DefinitionStore.LoadAsync(db, r.WorkflowId, r.WorkflowVersion, ct);
            rows.Add(new IndexRow(r.Id, r.LawId, versionTitle, version, verdict, ReportBuilder.VerdictLabel(definition.Questionnaire, verdict), Folder(r.LawId, r.Id), r.IsDemo));
        }
        return new IndexModel(rows.OrderBy(r => r.ReviewId, StringComparer.Ordinal).ToList());
    }

    private sealed record IndexedReview(string Id, string LawId, string Title, string WorkflowId, int WorkflowVersion, bool IsDemo);
}
