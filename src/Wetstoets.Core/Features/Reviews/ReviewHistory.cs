using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Persistence;

namespace Wetstoets.Features.Reviews;

/// <summary>One line of an instance's history: a step executed, a timer armed or fired, or someone's action.</summary>
public sealed record HistoryEntry(DateTimeOffset At, string Kind, int? Round, string Actor, string What, string? Details);

/// <summary>
/// The whole history of a review, oldest first, for <c>review history</c>: the steps the runtime executed
/// (with what resumed them), every timer with its fate, and the audit trail of who did what. It stays after
/// the review closed; only working state is cleaned then.
/// </summary>
public sealed class ReviewHistory(WetstoetsDbContext db)
{
    public const string Step = "step";
    public const string Timer = "timer";
    public const string Action = "action";

    public async Task<Result<IReadOnlyList<HistoryEntry>>> GetAsync(string reviewId, CancellationToken ct)
    {
        if (!await db.Reviews.AnyAsync(r => r.Id == reviewId, ct))
        {
            return Problem.NotFound($"unknown review '{reviewId}'");
        }
        var steps = await db.History.AsNoTracking().Where(h => h.ReviewId == reviewId).OrderBy(h => h.Id).ToListAsync(ct);
        var timers = await db.Timers.AsNoTracking().Where(t => t.ReviewId == reviewId).ToListAsync(ct);
        var actions = await db.Audit.AsNoTracking().Where(a => a.Subject == reviewId).OrderBy(a => a.Id).ToListAsync(ct);

        var entries = new List<HistoryEntry>();
        entries.AddRange(steps.Select(s => new HistoryEntry(s.At, Step, s.Round, "runtime", $"{s.StepId} ({s.StepType}) → {s.Outcome}",
            s.Trigger is null ? null : $"resumed by {s.Trigger}")));
        foreach (var t in timers)
        {
            var fate = t.FiredAt is { } fired ? $"fired at {fired:O}" : t.CancelledAt is { } cancelled ? $"cancelled at {cancelled:O}" : "pending";
            entries.Add(new HistoryEntry(t.DueAt, Timer, t.Round, "scheduler", $"{t.Kind} {t.Id} due", fate));
        }
        entries.AddRange(actions.Select(a => new HistoryEntry(a.At, Action, null, a.Actor, a.Action, a.Details)));
        // Stable within one moment: a step, then what it scheduled, then the actions recorded with it.
        var order = new[] { Step, Timer, Action };
        return Result<IReadOnlyList<HistoryEntry>>.Ok(entries
            .Select((e, i) => (e, i))
            .OrderBy(x => x.e.At).ThenBy(x => Array.IndexOf(order, x.e.Kind)).ThenBy(x => x.i)
            .Select(x => x.e).ToList());
    }
}
