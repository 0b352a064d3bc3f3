namespace Wetstoets.Domain;

/// <summary>The panel's meeting about a round: a calendar event with a Teams meeting in the shared mailbox.</summary>
public sealed class PanelMeeting
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Round { get; set; }
    public required string Subject { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public int Attendees { get; set; }
    public required string EventId { get; set; }
    public string? JoinUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}
