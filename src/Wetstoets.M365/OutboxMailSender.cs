using MimeKit;
using MimeKit.Text;
using Wetstoets.Ports;

namespace Wetstoets.M365;

/// <summary>
/// Without a Microsoft 365 mailbox, mails are written as standard .eml files to
/// <c>outbox/&lt;review-id&gt;/&lt;round&gt;/&lt;municipality-code&gt;-&lt;n&gt;.eml</c>. Writing the same mail again
/// replaces the file, so a resend after a crash leaves one file.
/// </summary>
public sealed class OutboxMailSender(string outboxDirectory, string fromName, string fromAddress, TimeProvider clock) : IMailSender
{
    public async Task SendAsync(MailMessage message, CancellationToken ct)
    {
        var folder = Path.Combine(outboxDirectory, message.ReviewId, message.Round.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{message.MunicipalityCode}-{message.Sequence}.eml");
        // A unique temporary name: the worker and a command may send the same queued mail at once.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var stream = File.Create(temporary))
        {
            await Build(message).WriteToAsync(FormatOptions.Default, stream, ct);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public MimeMessage Build(MailMessage message)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Date = clock.GetUtcNow(),
            MessageId = $"{message.ReviewId}.{message.Round}.{message.MunicipalityCode}.{message.Sequence}@wetstoets",
        };
        mime.From.Add(new MailboxAddress(fromName, fromAddress));
        mime.To.Add(new MailboxAddress(message.ToName, message.ToAddress));
        // 8bit keeps the personal link readable and intact in the file (no quoted-printable line breaks).
        var text = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.EightBit };
        text.SetText("utf-8", message.TextBody);
        var html = new TextPart(TextFormat.Html) { ContentTransferEncoding = ContentEncoding.EightBit };
        html.SetText("utf-8", message.HtmlBody);
        var alternative = new MultipartAlternative { text, html };
        if (message.Attachments.Count == 0)
        {
            mime.Body = alternative;
            return mime;
        }
        var mixed = new Multipart("mixed") { alternative };
        foreach (var attachment in message.Attachments)
        {
            mixed.Add(new MimePart(attachment.ContentType)
            {
                Content = new MimeContent(new MemoryStream(attachment.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = attachment.FileName,
            });
        }
        mime.Body = mixed;
        return mime;
    }
}
