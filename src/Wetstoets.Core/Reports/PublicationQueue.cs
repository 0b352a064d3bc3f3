using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Reports;

/// <summary>
/// Puts report versions into the repository, several at a time. Versions asked for while the repository is
/// busy wait and go in together with the next ones: one publish lock, one read of the index and one repository
/// session for all of them. When a thousand rounds close in the same second, each version still gets its own
/// commit, tag and README, but the working tree, the index and the branch are written once per batch.
/// <para>
/// The publish lock is held from before the index is read until every publisher of the batch has committed
/// the version to the database (or failed): each gets a share of the lock and releases it after its commit,
/// so no other process numbers a version, or reads the index, in between.
/// </para>
/// </summary>
public sealed class PublicationQueue(IServiceScopeFactory scopes)
{
    private readonly Lock _lock = new();
    private readonly List<Waiting> _waiting = [];
    private bool _draining;

    /// <summary>A version to publish: its files without the README, and its line in the README.</summary>
    public sealed record Request(ReportPublication Publication, IndexRow Row);

    /// <summary>
    /// The published version with its publication number; <paramref name="RecordedBefore"/> when the database
    /// already had it published (by another process) and nothing was done. Dispose <paramref name="Share"/>
    /// once the version is committed to the database, or has failed to be.
    /// </summary>
    public sealed record Outcome(PublishedVersion Version, int PublicationNumber, bool RecordedBefore, IAsyncDisposable Share);

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
        try
        {
            return await waiting.Done.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // The batch goes on without this publisher: give its share back when it arrives.
            _ = waiting.Done.Task.ContinueWith(t => t.Result.Share.DisposeAsync().AsTask(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default).Unwrap();
            throw;
        }
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

    /// <summary>Publishes a batch; returns once every publisher of it has given its share of the lock back.</summary>
    private async Task PublishBatchAsync(List<Waiting> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var shares = new LockShares(await services.GetRequiredService<IPublishLock>().AcquireAsync(CancellationToken.None), batch.Count);
        try
        {
            var db = services.GetRequiredService<WetstoetsDbContext>();
            var index = await services.GetRequiredService<PublishedIndex>().RowsAsync(db, CancellationToken.None);
            var recorded = await RecordedAsync(db, batch);
            var rows = new Dictionary<string, IndexRow>(index.Rows, StringComparer.Ordinal);
            var builder = services.GetRequiredService<ReportBuilder>();
            // Two runs of one review (a replay racing the run it replays) may ask for the same version at once.
            var toPublish = batch.DistinctBy(w => w.Request.Publication.Tag, StringComparer.Ordinal)
                .Where(w => !recorded.ContainsKey(w.Request.Publication.Tag)).ToList();
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
            var versions = publications.Count == 0 ? [] : await services.GetRequiredService<IReportRepository>().PublishAsync(publications, CancellationToken.None);
            foreach (var waiting in batch)
            {
                var tag = waiting.Request.Publication.Tag;
                var position = toPublish.FindIndex(w => w.Request.Publication.Tag == tag);
                var outcome = recorded.TryGetValue(tag, out var before)
                    ? new Outcome(before, 0, RecordedBefore: true, shares.Take())
                    : new Outcome(versions[position], index.LastNumber + 1 + position, RecordedBefore: false, shares.Take());
                waiting.Done.SetResult(outcome);
            }
        }
        catch
        {
            await shares.AbandonAsync();
            throw;
        }
        await shares.AllReturned;
    }

    /// <summary>Versions of the batch the database has published already: another process was first.</summary>
    private static async Task<Dictionary<string, PublishedVersion>> RecordedAsync(WetstoetsDbContext db, List<Waiting> batch)
    {
        var reviews = batch.Select(w => w.Request.Publication.ReviewId).Distinct().ToList();
        var published = await db.ReportVersions.AsNoTracking()
            .Where(v => reviews.Contains(v.ReviewId) && v.PublishedAt != null)
            .Select(v => new { v.ReviewId, v.Version, v.CommitSha, v.Tag }).ToListAsync();
        var wanted = batch.Select(w => w.Request.Publication.Tag).ToHashSet(StringComparer.Ordinal);
        return published.Where(v => v.Tag is not null && wanted.Contains(v.Tag))
            .ToDictionary(v => v.Tag!, v => new PublishedVersion(v.CommitSha!, v.Tag!, AlreadyPublished: true), StringComparer.Ordinal);
    }

    /// <summary>The publish lock, shared by the publishers of one batch: released when the last gives its share back.</summary>
    private sealed class LockShares(IAsyncDisposable held, int count)
    {
        private readonly TaskCompletionSource _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _outstanding = count;
        private int _released;

        public Task AllReturned => _returned.Task;

        public IAsyncDisposable Take() => new Share(this);

        public async Task AbandonAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await held.DisposeAsync();
                _returned.TrySetResult();
            }
        }

        private async Task ReturnAsync()
        {
            if (Interlocked.Decrement(ref _outstanding) == 0)
            {
                await AbandonAsync();
            }
        }

        private sealed class Share(LockShares shares) : IAsyncDisposable
        {
            private int _returned;

            public async ValueTask DisposeAsync()
            {
                if (Interlocked.Exchange(ref _returned, 1) == 0)
                {
                    await shares.ReturnAsync();
                }
            }
        }
    }
}
