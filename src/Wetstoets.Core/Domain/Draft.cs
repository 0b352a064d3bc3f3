namespace Wetstoets.Domain;

/// <summary>One version of a proposed law change; version N is put before the panels in round N.</summary>
public sealed class Draft
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Version { get; set; }
    public required string Title { get; set; }
    public required string LawId { get; set; }
    public string? LawName { get; set; }
    public string? Bwb { get; set; }
    public List<string> Domains { get; set; } = [];
    public string Summary { get; set; } = "";
    public List<DraftChange> Changes { get; set; } = [];
    public List<DraftAssumption> Assumptions { get; set; } = [];
    public List<string> Panels { get; set; } = [];
    public DateTimeOffset? Deadline { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record DraftChange(string Id, string Article, string Summary);

public sealed record DraftAssumption(string Id, string Text);
