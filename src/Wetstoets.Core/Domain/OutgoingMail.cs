namespace Wetstoets.Domain;

/// <summary>
/// A mail in the durable outgoing queue, written in the transaction of the step that sends it. Its body
/// holds the personal link, so the body is erased once the mail is sent.
/// </summary>
public sealed class OutgoingMail
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Round { get; set; }
    public required string MunicipalityCode { get; set; }
    /// <summary>Counts the mails to one municipality in one round: the n of <c>GM0363-n.eml</c>.</summary>
    public int Sequence { get; set; }
    public required string Kind { get; set; }
    public required string ToName { get; set; }
    public required string ToAddress { get; set; }
    public required string Subject { get; set; }
    public string? HtmlBody { get; set; }
    public string? TextBody { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    /// <summary>
    /// Set (and committed) just before a mail is handed to a channel that cannot take it twice harmlessly: if it
    /// is still there without <see cref="SentAt"/>, the attempt's outcome is unknown and the channel is asked first.
    /// </summary>
    public DateTimeOffset? SendingAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}
