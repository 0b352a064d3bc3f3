using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Reports;

/// <summary>
/// Puts report versions into the repository, several at a time. Versions asked for while the repository is
/// busy wait and go in together with the next ones: one publish lock, one read of the index and one repository
/// session for all of them. When a thousand rounds close in the same second, each version still gets its own
/// commit, tag and README, but the working tree, the index and the branch are written once per batch.
/// <para>
/// The batch records its versions as published (commit, tag, publication number) in one transaction of its
/// own, under the publish lock, right after the repository took them: the lock is released as soon as the
/// database knows what the repository has, and the next batch, of this process or another, numbers its versions
/// after these. A crash between the repository and that transaction leaves versions the repository has and the
/// database does not: the repository returns them as they are when they are asked for again.
/// </para>
/// </summary>
public sealed class PublicationQueue(IServiceScopeFactory scopes)
{
    private readonly Lock _lock = new();
    private readonly List<Waiting> _waiting = [];
    private bool _draining;

    /// <summary>A rendered version to publish: its files without the README, its line in the README, and the moment to record.</summary>
    public sealed record Request(ReportPublication Publication, IndexRow Row, DateTimeOffset PublishedAt);

    /// <summary>What the database records of a published version.</summary>
    public sealed record Publication(string CommitSha, string Tag, DateTimeOffset PublishedAt, int? Number)
    {
        public void CopyTo(ReportVersion version)
        {
            version.CommitSha = CommitSha;
            version.Tag = Tag;
            version.PublishedAt = PublishedAt;
            version.PublicationNumber = Number;
        }
    }

    /// <summary>
    /// The version's publication; <paramref name="ByThisCall"/> when this batch recorded it, not when the
    /// database had it published before (by another process, or another run of the same review).
    /// </summary>
    public sealed record Outcome(Publication Version, bool ByThisCall);

    private sealed record Waiting(Request Request)
    {
        public TaskCompletionSource<Outcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<Outcome> PublishAsync(Request request, CancellationToken ct)
    {
        var waiting = new Waiting(request);
        bool lead;
        lock (_lock)
        {
            _waiting.Add(waiting);
            lead = !_draining;
            _draining = true;
        }
        if (lead)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
        // A publisher that stops waiting leaves its version in the batch: it is recorded all the same.
        return await waiting.Done.Task.WaitAsync(ct);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Waiting> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _draining = false;
                    return;
                }
                batch = [.. _waiting];
                _waiting.Clear();
            }
            try
            {
                await PublishBatchAsync(batch);
            }
            catch (Exception e)
            {
                foreach (var waiting in batch)
                {
                    waiting.Done.TrySetException(e);
                }
            }
        }
    }

    private async Task PublishBatchAsync(List<Waiting> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var held = await services.GetRequiredService<IPublishLock>().AcquireAsync(CancellationToken.None);
        var db = services.GetRequiredService<WetstoetsDbContext>();
        var published = services.GetRequiredService<PublishedIndex>();
        var index = await published.RowsAsync(db, CancellationToken.None);
        var versions = await VersionsAsync(db, batch);
        var rows = new Dictionary<string, IndexRow>(index.Rows, StringComparer.Ordinal);
        var builder = services.GetRequiredService<ReportBuilder>();
        // Two runs of one review (a replay racing the run it replays) may ask for the same version at once.
        var toPublish = batch.DistinctBy(w => w.Request.Publication.Tag, StringComparer.Ordinal)
            .Where(w => versions[w.Request.Publication.Tag].Published is null).ToList();
        // Each version's README lists the versions before it, those of this batch included. The READMEs are
        // rendered side by side: the other publishers wait for this batch.
        var indexes = new List<IndexModel>(toPublish.Count);
        foreach (var waiting in toPublish)
        {
            rows[waiting.Request.Row.ReviewId] = waiting.Request.Row;
            indexes.Add(new IndexModel([.. rows.Values.OrderBy(r => r.ReviewId, StringComparer.Ordinal)]));
        }
        var readmes = new string[indexes.Count];
        Parallel.For(0, indexes.Count, i => readmes[i] = builder.RenderIndex(indexes[i]));
        var publications = toPublish.Select((waiting, i) => waiting.Request.Publication with
        {
            Files = new Dictionary<string, string>(waiting.Request.Publication.Files, StringComparer.Ordinal) { ["README.md"] = readmes[i] },
        }).ToList();
        var recorded = publications.Count == 0 ? [] : await services.GetRequiredService<IReportRepository>().PublishAsync(publications, CancellationToken.None);
        var byThisBatch = new HashSet<string>(StringComparer.Ordinal);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            for (var i = 0; i < toPublish.Count; i++)
            {
                var tag = toPublish[i].Request.Publication.Tag;
                var publication = new Publication(recorded[i].CommitSha, recorded[i].Tag, toPublish[i].Request.PublishedAt, index.LastNumber + 1 + i);
                await db.ReportVersions.Where(v => v.Id == versions[tag].Id).ExecuteUpdateAsync(update => update
                    .SetProperty(v => v.CommitSha, publication.CommitSha)
                    .SetProperty(v => v.Tag, publication.Tag)
                    .SetProperty(v => v.PublishedAt, publication.PublishedAt)
                    .SetProperty(v => v.PublicationNumber, publication.Number));
                versions[tag] = versions[tag] with { Published = publication };
                byThisBatch.Add(tag);
            }
            await transaction.CommitAsync();
        }
        published.Remember(db, new PublishedIndex.Snapshot(index.LastNumber + toPublish.Count, rows));
        foreach (var waiting in batch)
        {
            // Of two publishers of one version, the first is told it published it.
            var tag = waiting.Request.Publication.Tag;
            waiting.Done.SetResult(new Outcome(versions[tag].Published!, byThisBatch.Remove(tag)));
        }
    }

    /// <summary>A rendered version of the batch, with its publication when the database has it published.</summary>
    private sealed record Rendered(int Id, Publication? Published);

    /// <summary>The rendered versions of the batch by tag, as the database has them now (without their files).</summary>
    private static async Task<Dictionary<string, Rendered>> VersionsAsync(WetstoetsDbContext db, List<Waiting> batch)
    {
        var reviews = batch.Select(w => w.Request.Publication.ReviewId).Distinct().ToList();
        var candidates = await db.ReportVersions.AsNoTracking().Where(v => reviews.Contains(v.ReviewId))
            .Select(v => new { v.Id, v.ReviewId, v.Version, v.CommitSha, v.Tag, v.PublishedAt, v.PublicationNumber }).ToListAsync();
        var versions = new Dictionary<string, Rendered>(StringComparer.Ordinal);
        foreach (var waiting in batch)
        {
            var publication = waiting.Request.Publication;
            var version = candidates.SingleOrDefault(v => v.ReviewId == publication.ReviewId && v.Version == publication.Version)
                ?? throw new InvalidOperationException($"{publication.Tag} has no rendered version to publish");
            versions[publication.Tag] = new Rendered(version.Id, version.PublishedAt is { } at
                ? new Publication(version.CommitSha!, version.Tag!, at, version.PublicationNumber)
                : null);
        }
        return versions;
    }
}
