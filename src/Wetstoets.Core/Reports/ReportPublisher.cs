using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Reports;

/// <summary>Puts a rendered report version, with the updated index, into the report repository.</summary>
public sealed class ReportPublisher(WetstoetsDbContext db, IReportRepository repository, ReportBuilder builder, PublishedIndex index)
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
        var published = await index.RowsAsync(db, ct);
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{folder}/rapport.md"] = version.Markdown,
            [$"{folder}/rapport.html"] = version.Html,
            [$"{folder}/data.json"] = version.DataJson,
            ["README.md"] = builder.RenderIndex(await IndexAsync(published, review, version, draft.Title, ct)),
        };
        var commit = await repository.PublishAsync(new ReportPublication(reviewId, version.Version, draft.Title, review.LawId, files), ct);
        version.CommitSha = commit.CommitSha;
        version.Tag = commit.Tag;
        version.PublishedAt = now;
        // The caller holds the publish lock: no other version gets a number until this one has committed.
        version.PublicationNumber = published.LastNumber + 1;
        return version;
    }

    /// <summary>Every other review with its latest published version, plus the version being published.</summary>
    private async Task<IndexModel> IndexAsync(PublishedIndex.Snapshot published, Review review, ReportVersion publishing, string title, CancellationToken ct)
    {
        var verdict = await db.Assessments.AsNoTracking().Where(a => a.ReviewId == review.Id && a.Round == publishing.Round)
            .Select(a => a.Verdict).SingleOrDefaultAsync(ct);
        var rows = new Dictionary<string, IndexRow>(published.Rows, StringComparer.Ordinal)
        {
            [review.Id] = await PublishedIndex.RowAsync(db, review.Id, review.LawId, title, review.WorkflowId, review.WorkflowVersion, review.IsDemo,
                publishing.Version, verdict, ct),
        };
        return new IndexModel(rows.Values.OrderBy(r => r.ReviewId, StringComparer.Ordinal).ToList());
    }
}
