using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;

namespace Wetstoets.Features.Reviews;

public sealed record SizeClassProgress(string SizeClass, int Invited, int Responded);

public sealed record TimerInfo(string Id, string Kind, DateTimeOffset DueAt);

/// <summary>A reply from the mailbox that was not taken in, waiting for (or given) the ministry's decision.</summary>
public sealed record QuarantinedReply(int Id, string? MunicipalityCode, string From, DateTimeOffset ReceivedAt, string Reason, string? Decision);

/// <summary>The panel's meeting about the current round, when one is planned.</summary>
public sealed record MeetingInfo(DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Attendees, string? JoinUrl);

public sealed record ReviewSummary(string Id, string Title, string LawId, string Kind, string State, string Step, int Round, DateTimeOffset? Deadline);

public sealed record ReviewStatusReport(
    string Id,
    string Title,
    string LawId,
    string Workflow,
    int WorkflowVersion,
    string State,
    string Step,
    string? WaitingFor,
    string? Error,
    int Round,
    DateTimeOffset? Deadline,
    DateTimeOffset? ClosedAt,
    int Invited,
    int Responded,
    int Late,
    IReadOnlyList<SizeClassProgress> BySizeClass,
    int RemindersSent,
    int MailsQueued,
    TimerInfo? NextTimer,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> ReportVersions,
    IReadOnlyList<QuarantinedReply> Quarantined,
    int Comments,
    MeetingInfo? Meeting);

/// <summary>Where a review stands: for <c>review list</c>, <c>review status</c> and the dashboard.</summary>
public sealed class ReviewStatus(WetstoetsDbContext db)
{
    public async Task<IReadOnlyList<ReviewSummary>> ListAsync(CancellationToken ct)
    {
        var reviews = await db.Reviews.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ct);
        var rounds = await db.Rounds.AsNoTracking().ToListAsync(ct);
        return reviews.Select(r => new ReviewSummary(r.Id, r.Title, r.LawId, r.Kind, State(r), r.CurrentStepId, r.CurrentRound,
            rounds.FirstOrDefault(x => x.ReviewId == r.Id && x.Number == r.CurrentRound)?.Deadline)).ToList();
    }

    public async Task<Result<ReviewStatusReport>> GetAsync(string reviewId, CancellationToken ct)
    {
        var review = await db.Reviews.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return Problem.NotFound($"unknown review '{reviewId}'");
        }
        var round = await db.Rounds.AsNoTracking().SingleOrDefaultAsync(r => r.ReviewId == reviewId && r.Number == review.CurrentRound, ct);
        var participants = await db.Participants.AsNoTracking().Where(p => p.ReviewId == reviewId && p.Round == review.CurrentRound).ToListAsync(ct);
        var responses = await db.Responses.AsNoTracking().Where(r => r.ReviewId == reviewId && r.Round == review.CurrentRound)
            .Select(r => new { r.MunicipalityCode, r.IsLate }).ToListAsync(ct);
        var responded = responses.Where(r => !r.IsLate).Select(r => r.MunicipalityCode).ToHashSet();
        var lateOnly = responses.Where(r => r.IsLate).Select(r => r.MunicipalityCode).Distinct().Count();
        var timers = await db.Timers.AsNoTracking().Where(t => t.ReviewId == reviewId && t.FiredAt == null && t.CancelledAt == null).ToListAsync(ct);
        var next = timers.OrderBy(t => t.DueAt).FirstOrDefault();
        var queued = await db.OutgoingMails.CountAsync(m => m.ReviewId == reviewId && m.SentAt == null, ct);
        var versions = await db.ReportVersions.AsNoTracking().Where(v => v.ReviewId == reviewId && v.PublishedAt != null)
            .OrderBy(v => v.Version).Select(v => v.Tag!).ToListAsync(ct);
        var replies = await db.InboundReplies.AsNoTracking().Where(r => r.ReviewId == reviewId && r.Outcome != ReplyOutcome.Response)
            .Select(r => new { r.Id, r.MunicipalityCode, r.FromAddress, r.ReceivedAt, r.Outcome, r.Reason, r.Decision }).ToListAsync(ct);
        var quarantined = replies.Where(r => r.Outcome == ReplyOutcome.Quarantined).OrderBy(r => r.Id)
            .Select(r => new QuarantinedReply(r.Id, r.MunicipalityCode, r.FromAddress, r.ReceivedAt, r.Reason ?? "", r.Decision)).ToList();
        var meeting = await db.PanelMeetings.AsNoTracking().Where(m => m.ReviewId == reviewId && m.Round == review.CurrentRound)
            .Select(m => new MeetingInfo(m.StartsAt, m.EndsAt, m.Attendees, m.JoinUrl)).SingleOrDefaultAsync(ct);
        return Result<ReviewStatusReport>.Ok(new ReviewStatusReport(
            review.Id, review.Title, review.LawId, review.WorkflowId, review.WorkflowVersion, State(review), review.CurrentStepId,
            review.WaitingFor, review.LastError, review.CurrentRound, round?.Deadline, round?.ClosedAt,
            participants.Count, responded.Count, lateOnly,
            SizeClass.All.Select(c => new SizeClassProgress(c, participants.Count(p => p.SizeClass == c),
                participants.Count(p => p.SizeClass == c && responded.Contains(p.MunicipalityCode)))).ToList(),
            round?.RemindersSent ?? 0, queued, next is null ? null : new TimerInfo(next.Id, next.Kind, next.DueAt),
            review.Warnings, versions, quarantined, replies.Count(r => r.Outcome == ReplyOutcome.Comment), meeting));
    }

    private static string State(Review review) => review.State.ToString().ToLowerInvariant();
}
