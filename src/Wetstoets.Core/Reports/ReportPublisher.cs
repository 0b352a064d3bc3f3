using Microsoft.EntityFrameworkCore;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Reports;

/// <summary>
/// A version after publishing: <paramref name="ByThisCall"/> when this call published it (not before, not by
/// another process). Dispose <paramref name="HeldUntilSaved"/> once the version is saved.
/// </summary>
public sealed record PublishedReport(ReportVersion Version, bool ByThisCall, IAsyncDisposable HeldUntilSaved);

/// <summary>Puts a rendered report version, with the updated index, into the report repository.</summary>
public sealed class ReportPublisher(WetstoetsDbContext db, PublicationQueue queue)
{
    public static string Folder(string lawId, string reviewId) => $"{lawId}/{reviewId}";

    /// <summary>
    /// Publishes the version of a round; a version published before is returned as it is. The caller commits
    /// the version, then disposes <c>HeldUntilSaved</c>: until then no other publisher reads the index.
    /// </summary>
    public async Task<PublishedReport> PublishAsync(string reviewId, int round, DateTimeOffset now, CancellationToken ct)
    {
        var version = await db.ReportVersions.SingleOrDefaultAsync(v => v.ReviewId == reviewId && v.Round == round, ct)
            ?? throw new InvalidOperationException($"{reviewId} round {round} has no rendered report to publish");
        if (version.PublishedAt is not null)
        {
            return new PublishedReport(version, ByThisCall: false, NothingHeld.Instance);
        }
        var review = await db.Reviews.AsNoTracking().SingleAsync(r => r.Id == reviewId, ct);
        var draft = await db.Drafts.AsNoTracking().SingleAsync(d => d.ReviewId == reviewId && d.Version == round, ct);
        var folder = Folder(review.LawId, reviewId);
        var verdict = await db.Assessments.AsNoTracking().Where(a => a.ReviewId == review.Id && a.Round == round)
            .Select(a => a.Verdict).SingleOrDefaultAsync(ct);
        var row = await PublishedIndex.RowAsync(db, review.Id, review.LawId, draft.Title, review.WorkflowId, review.WorkflowVersion, review.IsDemo,
            version.Version, verdict, ct);
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{folder}/rapport.md"] = version.Markdown,
            [$"{folder}/rapport.html"] = version.Html,
            [$"{folder}/data.json"] = version.DataJson,
        };
        var outcome = await queue.PublishAsync(new PublicationQueue.Request(new ReportPublication(reviewId, version.Version, draft.Title, review.LawId, files), row), ct);
        if (outcome.RecordedBefore)
        {
            await db.Entry(version).ReloadAsync(ct);
            return new PublishedReport(version, ByThisCall: false, outcome.Share);
        }
        version.CommitSha = outcome.Version.CommitSha;
        version.Tag = outcome.Version.Tag;
        version.PublishedAt = now;
        version.PublicationNumber = outcome.PublicationNumber;
        return new PublishedReport(version, ByThisCall: true, outcome.Share);
    }

    private sealed class NothingHeld : IAsyncDisposable
    {
        public static readonly NothingHeld Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
