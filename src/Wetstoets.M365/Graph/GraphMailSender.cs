using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using Wetstoets.Ports;

namespace Wetstoets.M365.Graph;

/// <summary>
/// Sends a mail from the shared mailbox with <c>POST /users/{mailbox}/sendMail</c>: the HTML body, the
/// workbook attached, a copy in Sent Items. The mail's key (review, round, municipality, sequence) goes along
/// as the header <c>X-Wetstoets-Mail</c> and as a MAPI property, by which a mail whose sending was
/// interrupted is found in Sent Items before it would be sent again. A throttled or failed request throws
/// (after the SDK's own retries) and the mail stays in the queue.
/// </summary>
public sealed class GraphMailSender(GraphServiceClient graph, string mailbox, int messagesPerMinute) : IMailSender
{
    public const string MailHeader = "X-Wetstoets-Mail";

    /// <summary>A named string property in the public-strings property set.</summary>
    public const string KeyProperty = "String {00020329-0000-0000-C000-000000000046} Name WetstoetsMail";

    public int? MessagesPerMinute => messagesPerMinute;

    public bool RecognisesResends => true;

    public static string Key(MailMessage message) => $"{message.ReviewId}/{message.Round}/{message.MunicipalityCode}/{message.Sequence}";

    /// <summary>Looks for the mail's copy in Sent Items by its key.</summary>
    public async Task<bool> WasSentAsync(MailMessage message, CancellationToken ct)
    {
        var found = await graph.Users[mailbox].MailFolders["sentitems"].Messages.GetAsync(request =>
        {
            request.QueryParameters.Filter = $"singleValueExtendedProperties/Any(ep: ep/id eq '{KeyProperty}' and ep/value eq '{Key(message)}')";
            request.QueryParameters.Select = ["id"];
            request.QueryParameters.Top = 1;
        }, ct);
        return found?.Value is { Count: > 0 };
    }

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
                InternetMessageHeaders = [new InternetMessageHeader { Name = MailHeader, Value = Key(message) }],
                // The same key as a MAPI property, which the copy in Sent Items keeps and Graph can filter on.
                SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = KeyProperty, Value = Key(message) }],
            },
            SaveToSentItems = true,
        };
        await graph.Users[mailbox].SendMail.PostAsync(body, cancellationToken: ct);
    }
}
