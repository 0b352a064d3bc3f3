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

    /// <summary>Sends the mail. Sending the same mail (same review, round, municipality, sequence) again must be harmless where the channel allows.</summary>
    Task SendAsync(MailMessage message, CancellationToken cancellationToken);
}
