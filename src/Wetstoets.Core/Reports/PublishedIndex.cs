using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Persistence;
using Wetstoets.Workflows;

namespace Wetstoets.Reports;

/// <summary>
/// The rows of the repository's index (every review with its latest published version), kept in memory
/// between publications. Each publication numbers its version one above the highest number so far, so a
/// publisher reads only the versions published since it last looked, by this process or another. Reading
/// every row on every publication made the thousandth version of a busy day cost ten times the first.
/// Only publishers read it, and they hold the publish lock, under which the published versions do not change.
/// </summary>
public sealed class PublishedIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Snapshot> _byDatabase = new(StringComparer.Ordinal);

    /// <summary>
    /// The published versions as of publication number <paramref name="LastNumber"/>: the next one gets the number
    /// after it. The rows are by review id in the README's order, and immutable: a publication adds its row to a
    /// new map that shares the rest.
    /// </summary>
    public sealed record Snapshot(int LastNumber, ImmutableSortedDictionary<string, IndexRow> Rows);

    public static readonly ImmutableSortedDictionary<string, IndexRow> NoRows = ImmutableSortedDictionary.Create<string, IndexRow>(StringComparer.Ordinal);

    /// <summary>Every review's latest published version, read from where this process last left off.</summary>
    public async Task<Snapshot> RowsAsync(WetstoetsDbContext db, CancellationToken ct)
    {
        var key = Key(db);
        Snapshot? known;
        lock (_lock)
        {
            known = _byDatabase.GetValueOrDefault(key);
        }
        var last = await db.ReportVersions.MaxAsync(v => v.PublicationNumber, ct) ?? 0;
        if (known is not null && known.LastNumber == last)
        {
            return known;
        }
        // A database whose numbers went back (replaced by another) is read again from the start.
        var from = known is not null && known.LastNumber < last ? known.LastNumber : (int?)null;
        var rows = (from is null ? NoRows : known!.Rows).ToBuilder();
        foreach (var row in await ReadAsync(db, from, ct))
        {
            if (!rows.TryGetValue(row.ReviewId, out var current) || current.Version < row.Version)
            {
                rows[row.ReviewId] = row;
            }
        }
        var snapshot = new Snapshot(last, rows.ToImmutable());
        lock (_lock)
        {
            _byDatabase[key] = snapshot;
        }
        return snapshot;
    }

    /// <summary>The index after a publication by this process, which holds the publish lock: the next need not read it back.</summary>
    public void Remember(WetstoetsDbContext db, Snapshot snapshot)
    {
        lock (_lock)
        {
            _byDatabase[Key(db)] = snapshot;
        }
    }

    private static string Key(WetstoetsDbContext db) => db.Database.GetConnectionString() ?? "";

    /// <summary>The index rows of the versions published after number <paramref name="after"/> (all when null), as narrow projections.</summary>
    public static async Task<IReadOnlyList<IndexRow>> ReadAsync(WetstoetsDbContext db, int? after, CancellationToken ct)
    {
        var published = await db.ReportVersions.AsNoTracking()
            .Where(v => v.PublishedAt != null && (after == null || v.PublicationNumber > after))
            .Select(v => new { v.ReviewId, v.Version, v.Round }).ToListAsync(ct);
        if (published.Count == 0)
        {
            return [];
        }
        var ids = published.Select(v => v.ReviewId).Distinct().ToList();
        var everything = after is null;
        var reviews = await db.Reviews.AsNoTracking().Where(r => everything || ids.Contains(r.Id))
            .Select(r => new { r.Id, r.LawId, r.Title, r.WorkflowId, r.WorkflowVersion, r.IsDemo }).ToDictionaryAsync(r => r.Id, ct);
        var titles = (await db.Drafts.AsNoTracking().Where(d => everything || ids.Contains(d.ReviewId))
            .Select(d => new { d.ReviewId, d.Version, d.Title }).ToListAsync(ct)).ToDictionary(d => (d.ReviewId, d.Version), d => d.Title);
        var verdicts = (await db.Assessments.AsNoTracking().Where(a => everything || ids.Contains(a.ReviewId))
            .Select(a => new { a.ReviewId, a.Round, a.Verdict }).ToListAsync(ct)).ToDictionary(a => (a.ReviewId, a.Round), a => a.Verdict);
        var rows = new List<IndexRow>(published.Count);
        foreach (var v in published)
        {
            var review = reviews[v.ReviewId];
            var title = titles.GetValueOrDefault((v.ReviewId, v.Round)) ?? review.Title;
            rows.Add(await RowAsync(db, review.Id, review.LawId, title, review.WorkflowId, review.WorkflowVersion, review.IsDemo, v.Version,
                verdicts.GetValueOrDefault((v.ReviewId, v.Round)), ct));
        }
        return rows;
    }

    /// <summary>One review's line in the index.</summary>
    public static async Task<IndexRow> RowAsync(WetstoetsDbContext db, string reviewId, string lawId, string title, string workflowId, int workflowVersion,
        bool isDemo, int version, string? verdict, CancellationToken ct)
    {
        var definition = await DefinitionStore.LoadAsync(db, workflowId, workflowVersion, ct);
        return new IndexRow(reviewId, lawId, title, version, verdict, ReportBuilder.VerdictLabel(definition.Questionnaire, verdict),
            ReportPublisher.Folder(lawId, reviewId), isDemo);
    }
}
