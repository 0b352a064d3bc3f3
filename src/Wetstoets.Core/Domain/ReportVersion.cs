namespace Wetstoets.Domain;

/// <summary>The synthesis of a round, as the figures of its data.json.</summary>
public sealed class Assessment
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Round { get; set; }
    public string? Verdict { get; set; }
    public required string DataJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A rendered report of a round, kept until (and after) it is published.</summary>
public sealed class ReportVersion
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Version { get; set; }
    public int Round { get; set; }
    public required string Markdown { get; set; }
    public required string Html { get; set; }
    public required string DataJson { get; set; }
    /// <summary>SHA-256 of the three files, so <c>report verify</c> can detect tampering.</summary>
    public required string ContentHash { get; set; }
    public DateTimeOffset RenderedAt { get; set; }
    public string? CommitSha { get; set; }
    public string? Tag { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    /// <summary>The order of publication in this database (1, 2, …), so publishers can read what is new since they last looked.</summary>
    public int? PublicationNumber { get; set; }
}
