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

    /// <summary>Every review with its latest published version, plus the version being published.</summary>
    private async Task<IndexModel> IndexAsync(Review review, ReportVersion publishing, string title, CancellationToken ct)
    {
        var published = await db.ReportVersions.AsNoTracking().Where(v => v.PublishedAt != null).ToListAsync(ct);
        var latest = published.Where(v => v.ReviewId != review.Id).GroupBy(v => v.ReviewId).Select(g => g.MaxBy(v => v.Version)!).ToList();
        var ids = latest.Select(v => v.ReviewId).ToList();
        var reviews = await db.Reviews.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var drafts = await db.Drafts.AsNoTracking().Where(d => ids.Contains(d.ReviewId)).ToListAsync(ct);
        var assessments = await db.Assessments.AsNoTracking().Where(a => ids.Contains(a.ReviewId) || a.ReviewId == review.Id).ToListAsync(ct);
        var rows = new List<IndexRow>();
        foreach (var (r, v, t) in latest.Select(v => (reviews[v.ReviewId], v.Version, TitleOf(v.ReviewId, v.Round, reviews[v.ReviewId].Title)))
            .Append((review, publishing.Version, title)))
        {
            var verdict = assessments.FirstOrDefault(a => a.ReviewId == r.Id && a.Round == v)?.Verdict;
            var definition = await DefinitionStore.LoadAsync(db, r.WorkflowId, r.WorkflowVersion, ct);
            rows.Add(new IndexRow(r.Id, r.LawId, t, v, verdict, ReportBuilder.VerdictLabel(definition.Questionnaire, verdict), Folder(r.LawId, r.Id), r.IsDemo));
        }
        string TitleOf(string id, int round, string fallback) =>
            drafts.Where(d => d.ReviewId == id && d.Version == round).Select(d => d.Title).FirstOrDefault() ?? fallback;
        return new IndexModel(rows.OrderBy(r => r.ReviewId, StringComparer.Ordinal).ToList());
    }
}
