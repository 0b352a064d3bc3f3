namespace Wetstoets.Ports;

public sealed record MeetingAttendee(string Name, string Address);

/// <summary>
/// A meeting to put in the shared mailbox's calendar. <paramref name="TransactionId"/> identifies it: asking
/// again with the same id (after a crash, a retry) gives the meeting made the first time, not a second one.
/// </summary>
public sealed record MeetingRequest(string TransactionId, string Subject, string HtmlBody, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    IReadOnlyList<MeetingAttendee> Attendees);

public sealed record ScheduledMeeting(string EventId, string? JoinUrl);

/// <summary>The calendar of the shared mailbox (Microsoft 365), where panel meetings with a Teams meeting are planned.</summary>
public interface IMeetingCalendar
{
    Task<ScheduledMeeting> ScheduleAsync(MeetingRequest meeting, CancellationToken cancellationToken);
}
