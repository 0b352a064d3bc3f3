namespace Wetstoets.Domain;

public static class TimerKind
{
    public const string Deadline = "deadline";
    public const string Reminder = "reminder";
}

/// <summary>
/// A durable timer of a review. The row is written in the same transaction as the step that needs it,
/// and a Quartz trigger fires it; <see cref="FiredAt"/> is set in the transaction of its effect, so a
/// trigger that fires twice finds it fired and does nothing, and a trigger lost in a crash is scheduled
/// again from this row.
/// </summary>
public sealed class ReviewTimer
{
    public required string Id { get; set; }
    public required string ReviewId { get; set; }
    public int Round { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset? FiredAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }

    public bool IsPending => FiredAt is null && CancelledAt is null;
}
