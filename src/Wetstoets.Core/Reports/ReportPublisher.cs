using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Reports;

/// <summary>
/// A version after publishing: <paramref name="ByThisCall"/> when this call published it (not before, not by
/// another process).
/// </summary>
public sealed record PublishedReport(ReportVersion Version, bool ByThisCall);

/// <summary>Puts a rendered report version, with the updated index, into the report repository.</summary>
public sealed class ReportPublisher(WetstoetsDbContext db, PublicationQueue queue)
{
    public static string Folder(string lawId, string reviewId) => $"{lawId}/{reviewId}";

    /// <summary>
    /// Publishes the version of a round and records it as published; a version published before is returned as
    /// it is. The version is recorded by the publication itself, not by the caller's transaction: see
    /// <see cref="PublicationQueue"/>. A version <paramref name="rendered"/> in the same run (and committed) is not
    /// read back.
    /// </summary>
    public async Task<PublishedReport> PublishAsync(Review review, int round, DateTimeOffset now, CancellationToken ct, RenderedVersion? rendered = null)
    {
        var justRendered = rendered is { Title: not null } && rendered.Version.Round == round ? rendered : null;
        var version = justRendered is not null
            ? Untracked(justRendered.Version)
            : await db.ReportVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ReviewId == review.Id && v.Round == round, ct)
                ?? throw new InvalidOperationException($"{review.Id} round {round} has no rendered report to publish");
        if (version.PublishedAt is not null)
        {
            return new PublishedReport(version, ByThisCall: false);
        }
        var (title, verdict) = justRendered is not null
            ? (justRendered.Title!, justRendered.Verdict)
            : ((await db.Drafts.AsNoTracking().SingleAsync(d => d.ReviewId == review.Id && d.Version == round, ct)).Title,
                await db.Assessments.AsNoTracking().Where(a => a.ReviewId == review.Id && a.Round == round).Select(a => a.Verdict).SingleOrDefaultAsync(ct));
        var folder = Folder(review.LawId, review.Id);
        var row = await PublishedIndex.RowAsync(db, review.Id, review.LawId, title, review.WorkflowId, review.WorkflowVersion, review.IsDemo,
            version.Version, verdict, ct);
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{folder}/rapport.md"] = version.Markdown,
            [$"{folder}/rapport.html"] = version.Html,
            [$"{folder}/data.json"] = version.DataJson,
        };
        var publication = new ReportPublication(review.Id, version.Version, title, review.LawId, files);
        var (published, byThisCall) = await queue.PublishAsync(new PublicationQueue.Request(publication, row, now), ct);
        published.CopyTo(version);
        return new PublishedReport(version, byThisCall);
    }

    /// <summary>The caller's version, no longer tracked: the publication records itself, the caller's commit must not write it again.</summary>
    private ReportVersion Untracked(ReportVersion version)
    {
        db.Entry(version).State = EntityState.Detached;
        return version;
    }
}
