namespace Wetstoets.Ports;

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>A mail ready to leave: rendered, addressed, numbered within its round.</summary>
public sealed record MailMessage(
    string ReviewId,
    int Round,
    string MunicipalityCode,
    int Sequence,
    string ToName,
    string ToAddress,
    string Subject,
    string HtmlBody,
    string TextBody,
    IReadOnlyList<MailAttachment> Attachments);

/// <summary>Sends one mail: to the outbox folder, or through Microsoft 365.</summary>
public interface IMailSender
{
    /// <summary>How many mails may leave per minute (Exchange Online's limit per mailbox), or null for no limit.</summary>
    int? MessagesPerMinute => null;

    /// <summary>
    /// Whether the channel can tell if a mail left in an attempt whose outcome is unknown (a crash between
    /// sending and recording it). Such a channel is asked before a mail is sent again; one that cannot tell
    /// (the outbox folder) must make sending twice harmless.
    /// </summary>
    bool RecognisesResends => false;

    /// <summary>Whether this mail (same review, round, municipality, sequence) has left already.</summary>
    Task<bool> WasSentAsync(MailMessage message, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>Sends the mail. Sending the same mail (same review, round, municipality, sequence) again must be harmless where the channel allows.</summary>
    Task SendAsync(MailMessage message, CancellationToken cancellationToken);
}
