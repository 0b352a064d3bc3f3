namespace Wetstoets.Domain;

/// <summary>One revision of a municipality's answers in a round. Every revision is kept; the latest counts.</summary>
public sealed class Response
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Round { get; set; }
    public required string MunicipalityCode { get; set; }
    public int Revision { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>Arrived after the deadline: kept, shown, not counted.</summary>
    public bool IsLate { get; set; }
    public required string Channel { get; set; }
    public required string SubmittedBy { get; set; }
    public Dictionary<string, string> Answers { get; set; } = [];
    public Dictionary<string, string> Comments { get; set; } = [];
    public Dictionary<string, string> Notes { get; set; } = [];
    /// <summary>Set before the response is added to the second register (a SharePoint list), when one is configured.</summary>
    public DateTimeOffset? RegisteringAt { get; set; }
    public DateTimeOffset? RegisteredAt { get; set; }

    /// <summary>Identifies this revision in the second register.</summary>
    public string RegisterKey => $"{ReviewId}/{Round}/{MunicipalityCode}/{Revision}";
}
