namespace Wetstoets.Domain;

/// <summary>What became of a reply taken from the mailbox.</summary>
public static class ReplyOutcome
{
    /// <summary>The workbook was taken in as the municipality's response.</summary>
    public const string Response = "response";
    /// <summary>Text without a workbook: kept as the municipality's comment, not a response.</summary>
    public const string Comment = "comment";
    /// <summary>Not accepted; kept with its reason until the ministry decides (<c>feedback accept|reject</c>).</summary>
    public const string Quarantined = "quarantined";
}

/// <summary>
/// A tagged message read from the shared mailbox, recorded in the same transaction as its effect: the
/// message id is unique, so every message is taken in once, however often a sync is repeated or resumed.
/// </summary>
public sealed class InboundReply
{
    public int Id { get; set; }
    /// <summary>Graph's id of the message in the mailbox folder.</summary>
    public required string MessageId { get; set; }
    public string? ReviewId { get; set; }
    public string? MunicipalityCode { get; set; }
    public int? Round { get; set; }
    public required string FromAddress { get; set; }
    public required string Subject { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
    public required string Outcome { get; set; }
    /// <summary>Why a reply was quarantined, in words for the ministry.</summary>
    public string? Reason { get; set; }
    public int? ResponseRevision { get; set; }
    /// <summary>The text of a reply (a comment), or of a quarantined one.</summary>
    public string? Text { get; set; }
    public string? AttachmentName { get; set; }
    /// <summary>A quarantined reply's workbook, kept so the ministry can accept it later.</summary>
    public byte[]? Attachment { get; set; }
    public string? Decision { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
}

/// <summary>Where the last sync of a mailbox folder stopped: the delta link, or the next page of an unfinished sync.</summary>
public sealed class MailboxCursor
{
    /// <summary><c>&lt;mailbox&gt;/&lt;folder&gt;</c>.</summary>
    public required string Key { get; set; }
    public string? Link { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
