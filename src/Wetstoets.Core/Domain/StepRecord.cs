namespace Wetstoets.Domain;

/// <summary>The history of a workflow instance: one row per step executed or resumed.</summary>
public sealed class StepRecord
{
    public long Id { get; set; }
    public required string ReviewId { get; set; }
    public int Round { get; set; }
    public required string StepId { get; set; }
    public required string StepType { get; set; }
    public required string Outcome { get; set; }
    public string? Trigger { get; set; }
    public DateTimeOffset At { get; set; }
}
