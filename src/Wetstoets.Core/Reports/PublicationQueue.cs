using System.Collections.Immutable;
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
/// <para>
/// Each version's README lists the versions before it, those of its own batch included. A publisher renders its
/// README itself while it waits, from the rows the index will have when its turn comes (the rows after the last
/// batch, with those of the versions queued before it): the READMEs are rendered side by side, off the path
/// every version takes through the repository one batch at a time. The batch uses a README so rendered only when
/// it was rendered from exactly the rows the version gets; when they differ (another process published in
/// between, a version was published already) it renders the README again.
/// </para>
/// </summary>
public sealed class PublicationQueue(IServiceScopeFactory scopes, TemplateRenderer templates)
{
    private readonly Lock _lock = new();
    private readonly List<Waiting> _waiting = [];
    private bool _draining;
    // The index rows once every version queued so far is published; null until the first batch has read them.
    private ImmutableSortedDictionary<string, IndexRow>? _expected;

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

        /// <summary>The README rendered by the publisher; null when it was not rendered ahead.</summary>
        public TaskCompletionSource<Readme?> Ahead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A README and the index rows it lists.</summary>
    private sealed record Readme(ImmutableSortedDictionary<string, IndexRow> Rows, string Text);

    public async Task<Outcome> PublishAsync(Request request, CancellationToken ct)
    {
        var waiting = new Waiting(request);
        bool lead;
        ImmutableSortedDictionary<string, IndexRow>? rows = null;
        lock (_lock)
        {
            _waiting.Add(waiting);
            if (_expected is not null)
            {
                rows = _expected = _expected.SetItem(request.Row.ReviewId, request.Row);
            }
            lead = !_draining;
            _draining = true;
        }
        if (lead)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
        waiting.Ahead.SetResult(rows is null ? null : TryRender(rows));
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
                var index = await PublishBatchAsync(batch);
                lock (_lock)
                {
                    // What the next versions will see: this batch's rows, then those of the versions queued meanwhile.
                    _expected = _waiting.Aggregate(index, (rows, waiting) => rows.SetItem(waiting.Request.Row.ReviewId, waiting.Request.Row));
                }
            }
            catch (Exception e)
            {
                lock (_lock)
                {
                    // Read the rows again with the next batch: this one's versions may or may not be in.
                    _expected = null;
                }
                foreach (var waiting in batch)
                {
                    waiting.Done.TrySetException(e);
                }
            }
        }
    }

    /// <summary>Publishes the batch; returns the index rows after it.</summary>
    private async Task<ImmutableSortedDictionary<string, IndexRow>> PublishBatchAsync(List<Waiting> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var held = await services.GetRequiredService<IPublishLock>().AcquireAsync(CancellationToken.None);
        var db = services.GetRequiredService<WetstoetsDbContext>();
        var published = services.GetRequiredService<PublishedIndex>();
        var index = await published.RowsAsync(db, CancellationToken.None);
        var versions = await VersionsAsync(db, batch);
        // Two runs of one review (a replay racing the run it replays) may ask for the same version at once.
        var toPublish = batch.DistinctBy(w => w.Request.Publication.Tag, StringComparer.Ordinal)
            .Where(w => versions[w.Request.Publication.Tag].Published is null).ToList();
        var rows = index.Rows;
        var readmes = new string[toPublish.Count];
        var again = new List<(int At, ImmutableSortedDictionary<string, IndexRow> Rows)>();
        for (var i = 0; i < toPublish.Count; i++)
        {
            rows = rows.SetItem(toPublish[i].Request.Row.ReviewId, toPublish[i].Request.Row);
            if (await toPublish[i].Ahead.Task is { } ahead && SameRows(ahead.Rows, rows))
            {
                readmes[i] = ahead.Text;
            }
            else
            {
                again.Add((i, rows));
            }
        }
        Parallel.ForEach(again, readme => readmes[readme.At] = RenderReadme(readme.Rows));
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
        return rows;
    }

    private string RenderReadme(ImmutableSortedDictionary<string, IndexRow> rows) => templates.Render("index.md.sbn", new IndexModel([.. rows.Values]));

    /// <summary>The README rendered ahead; null when it fails, so the batch renders it again and reports the error.</summary>
    private Readme? TryRender(ImmutableSortedDictionary<string, IndexRow> rows)
    {
        try
        {
            return new Readme(rows, RenderReadme(rows));
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static bool SameRows(ImmutableSortedDictionary<string, IndexRow> ahead, ImmutableSortedDictionary<string, IndexRow> actual) =>
        ReferenceEquals(ahead, actual) || ahead.Count == actual.Count && ahead.Values.SequenceEqual(actual.Values);

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
