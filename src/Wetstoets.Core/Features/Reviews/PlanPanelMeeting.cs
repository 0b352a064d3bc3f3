using System.Net;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;
using Wetstoets.Ports;

namespace Wetstoets.Features.Reviews;

/// <summary>
/// Plans the panel's meeting about the current round: a calendar event with a Teams meeting in the shared
/// mailbox, with everyone invited to the round as attendee. One meeting per round; planning it again after a
/// crash between the calendar and the database gives the same event (the request carries the round as its
/// transaction id). Needs Microsoft 365 (<c>M365:Mailbox</c>).
/// </summary>
public sealed class PlanPanelMeeting(WetstoetsDbContext db, TimeProvider clock, IMeetingCalendar? calendar = null)
{
    public static readonly TimeSpan LongestMeeting = TimeSpan.FromHours(8);

    public bool HasCalendar => calendar is not null;

    public async Task<Result<PanelMeeting>> ExecuteAsync(string reviewId, DateTimeOffset startsAt, TimeSpan duration, string actor, CancellationToken ct)
    {
        if (calendar is null)
        {
            return Result<PanelMeeting>.Fail("M365:Mailbox is not set: panel meetings are planned in the shared mailbox's calendar");
        }
        if (duration <= TimeSpan.Zero || duration > LongestMeeting)
        {
            return Result<PanelMeeting>.Fail($"a meeting lasts more than nothing and at most {LongestMeeting.TotalHours:0} hours, not {duration}");
        }
        if (startsAt <= clock.GetUtcNow())
        {
            return Result<PanelMeeting>.Fail($"{startsAt:yyyy-MM-dd HH:mm zzz} has passed");
        }
        var review = await db.Reviews.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reviewId, ct);
        if (review is null)
        {
            return Problem.NotFound($"unknown review '{reviewId}'");
        }
        if (await db.PanelMeetings.AsNoTracking().SingleOrDefaultAsync(m => m.ReviewId == reviewId && m.Round == review.CurrentRound, ct) is { } planned)
        {
            return Result<PanelMeeting>.Fail($"round {planned.Round} of {reviewId} has its meeting already, at {planned.StartsAt:yyyy-MM-dd HH:mm zzz} ({planned.JoinUrl ?? planned.EventId})");
        }
        var attendees = (await db.Invitations.AsNoTracking().Where(i => i.ReviewId == reviewId && i.Round == review.CurrentRound)
                .Select(i => new { i.ContactName, i.ContactEmail }).ToListAsync(ct))
            .DistinctBy(i => i.ContactEmail, StringComparer.OrdinalIgnoreCase).Select(i => new MeetingAttendee(i.ContactName, i.ContactEmail)).ToList();
        var title = await db.Rounds.AsNoTracking().Where(r => r.ReviewId == reviewId && r.Number == review.CurrentRound)
            .Join(db.Drafts, r => new { r.ReviewId, Version = r.DraftVersion }, d => new { d.ReviewId, d.Version }, (_, d) => d.Title).SingleAsync(ct);
        var subject = $"Panelbespreking {title} [{reviewId}]";
        var body = $"<p>Bespreking van de uitvoeringstoets <strong>{WebUtility.HtmlEncode(title)}</strong> ({reviewId}, ronde {review.CurrentRound}) met het gemeentepanel.</p>"
            + "<p>Deelnemen kan via Microsoft Teams; de link staat in deze uitnodiging.</p>";
        var scheduled = await calendar.ScheduleAsync(
            new MeetingRequest($"wetstoets-{reviewId}-r{review.CurrentRound}", subject, body, startsAt, startsAt + duration, attendees), ct);
        var meeting = new PanelMeeting
        {
            ReviewId = reviewId, Round = review.CurrentRound, Subject = subject, StartsAt = startsAt, EndsAt = startsAt + duration,
            Attendees = attendees.Count, EventId = scheduled.EventId, JoinUrl = scheduled.JoinUrl, CreatedAt = clock.GetUtcNow(), CreatedBy = actor,
        };
        db.PanelMeetings.Add(meeting);
        db.Audit.Add(new AuditEntry { At = meeting.CreatedAt, Actor = actor, Action = "meeting-planned", Subject = reviewId, Details = $"round {meeting.Round}, {startsAt:O}, {attendees.Count} attendees" });
        await db.SaveChangesAsync(ct);
        return Result<PanelMeeting>.Ok(meeting);
    }
}
