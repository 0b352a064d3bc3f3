using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using Wetstoets.Ports;

namespace Wetstoets.M365.Graph;

/// <summary>
/// Sends a mail from the shared mailbox with <c>POST /users/{mailbox}/sendMail</c>: the HTML body, the
/// workbook attached, a copy in Sent Items. The header <c>X-Wetstoets-Mail</c> names the queued mail, so a
/// mail sent twice after a crash can be recognised in the mailbox. A throttled or failed request throws
/// (after the SDK's own retries) and the mail stays in the queue.
/// </summary>
public sealed class GraphMailSender(GraphServiceClient graph, string mailbox, int messagesPerMinute) : IMailSender
{
    public const string MailHeader = "X-Wetstoets-Mail";

    public int? MessagesPerMinute => messagesPerMinute;

    public async Task SendAsync(MailMessage message, CancellationToken ct)
    {
        // A new body each time: the SDK sends only what was set, and a reused model would carry stale state.
        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = message.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = message.HtmlBody },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Name = message.ToName, Address = message.ToAddress } }],
                Attachments = [.. message.Attachments.Select(a => new FileAttachment
                {
                    OdataType = "#microsoft.graph.fileAttachment",
                    Name = a.FileName,
                    ContentType = a.ContentType,
                    ContentBytes = a.Content,
                })],
                InternetMessageHeaders = [new InternetMessageHeader { Name = MailHeader, Value = $"{message.ReviewId}/{message.Round}/{message.MunicipalityCode}/{message.Sequence}" }],
            },
            SaveToSentItems = true,
        };
        await graph.Users[mailbox].SendMail.PostAsync(body, cancellationToken: ct);
    }
}
