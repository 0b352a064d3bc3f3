using Microsoft.Graph;
using Microsoft.Graph.Models;
using Wetstoets.Ports;

namespace Wetstoets.M365.Graph;

/// <summary>
/// Panel meetings as events in the shared mailbox's calendar (<c>POST /users/{mailbox}/events</c>) with a
/// Teams meeting; Exchange sends the attendees the invitation. The event's <c>transactionId</c> makes a
/// repeated request return the event made the first time.
/// </summary>
public sealed class GraphMeetingCalendar(GraphServiceClient graph, string mailbox) : IMeetingCalendar
{
    public async Task<ScheduledMeeting> ScheduleAsync(MeetingRequest meeting, CancellationToken ct)
    {
        var created = await graph.Users[mailbox].Events.PostAsync(new Event
        {
            TransactionId = meeting.TransactionId,
            Subject = meeting.Subject,
            Body = new ItemBody { ContentType = BodyType.Html, Content = meeting.HtmlBody },
            Start = new DateTimeTimeZone { DateTime = meeting.StartsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), TimeZone = "UTC" },
            End = new DateTimeTimeZone { DateTime = meeting.EndsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), TimeZone = "UTC" },
            Attendees = [.. meeting.Attendees.Select(a => new Attendee { Type = AttendeeType.Required, EmailAddress = new EmailAddress { Name = a.Name, Address = a.Address } })],
            IsOnlineMeeting = true,
            OnlineMeetingProvider = OnlineMeetingProviderType.TeamsForBusiness,
            AllowNewTimeProposals = false,
        }, cancellationToken: ct) ?? throw new InvalidOperationException("Graph created the event but returned nothing");
        return new ScheduledMeeting(created.Id ?? throw new InvalidOperationException("Graph returned an event without an id"), created.OnlineMeeting?.JoinUrl);
    }
}
