namespace Wetstoets.Domain;

public enum ReviewState
{
    /// <summary>A step is being executed (or was, when the process stopped: the worker resumes it).</summary>
    Running,
    /// <summary>Parked at a bookmark until a timer or a decision resumes it.</summary>
    Waiting,
    /// <summary>A step failed; <see cref="Review.LastError"/> says why and <c>review retry</c> runs it again.</summary>
    Failed,
    Closed,
}

/// <summary>A review (toets) and the state of the workflow instance that runs it.</summary>
public sealed class Review
{
    public required string Id { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public required string LawId { get; set; }
    public required string WorkflowId { get; set; }
    public int WorkflowVersion { get; set; }
    public int CurrentRound { get; set; }
    public required string CurrentStepId { get; set; }
    public ReviewState State { get; set; }
    /// <summary>The bookmark the instance waits for (<c>deadline</c>, <c>decision</c>), when waiting.</summary>
    public string? WaitingFor { get; set; }
    public string? LastError { get; set; }
    public List<string> Panels { get; set; } = [];
    /// <summary>Warnings for the ministry (a size class missing from the panels, a quorum missed).</summary>
    public List<string> Warnings { get; set; } = [];
    public bool IsDemo { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Incremented by every state change: two processes advancing the same review cannot both win.</summary>
    public int Revision { get; set; }
}

public sealed class Round
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Number { get; set; }
    public int DraftVersion { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset Deadline { get; set; }
    public bool Extended { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int RemindersSent { get; set; }

    /// <summary>The timing rule of SPEC.md §2: what arrives before the deadline counts.</summary>
    public bool AcceptsAt(DateTimeOffset receivedAt) => ClosedAt is null && receivedAt < Deadline;
}

/// <summary>A municipality invited in a round, with its name and size class frozen at the invitation.</summary>
public sealed class RoundParticipant
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Round { get; set; }
    public required string MunicipalityCode { get; set; }
    public required string MunicipalityName { get; set; }
    public required string SizeClass { get; set; }
}
