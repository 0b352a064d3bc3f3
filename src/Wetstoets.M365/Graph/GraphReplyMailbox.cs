using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.MailFolders.Item.Messages.Delta;
using Wetstoets.Ports;

namespace Wetstoets.M365.Graph;

/// <summary>
/// The replies folder of the shared mailbox through Graph's delta query: pages of up to 100 messages with
/// only what is needed to see the tag, then one request per tagged message for the message with its
/// attachments. About one request per reply, against Outlook's 10,000 per ten minutes per mailbox.
/// </summary>
public sealed class GraphReplyMailbox(GraphServiceClient graph, string mailbox, string folder) : IReplyMailbox
{
    private const int PageSize = 100;

    public string Key => $"{mailbox}/{folder}";

    public async Task<MailboxPage> ReadPageAsync(string? link, CancellationToken ct)
    {
        try
        {
            var builder = link is null
                ? graph.Users[mailbox].MailFolders[folder].Messages.Delta
                : new DeltaRequestBuilder(link, graph.RequestAdapter);
            var page = await builder.GetAsDeltaGetResponseAsync(request =>
            {
                if (link is null)
                {
                    request.QueryParameters.Select = ["subject"];
                }
                request.Headers.Add("Prefer", $"odata.maxpagesize={PageSize}");
            }, ct);
            var messages = (page?.Value ?? [])
                .Where(m => m.Id is not null && !(m.AdditionalData?.ContainsKey("@removed") ?? false))
                .Select(m => new MailboxEntry(m.Id!, m.Subject ?? "")).ToList();
            return new MailboxPage(messages, page?.OdataNextLink, page?.OdataDeltaLink);
        }
        catch (ODataError e) when (link is not null && (e.ResponseStatusCode == 410 || e.Error?.Code is "syncStateNotFound" or "SyncStateNotFound"))
        {
            throw new SyncStateExpiredException($"the mailbox no longer knows the sync state of {Key}: {e.Error?.Message}", e);
        }
    }

    public async Task<InboundMail> FetchAsync(string messageId, CancellationToken ct)
    {
        var message = await graph.Users[mailbox].Messages[messageId].GetAsync(request =>
        {
            request.QueryParameters.Select = ["subject", "from", "receivedDateTime", "body"];
            request.QueryParameters.Expand = ["attachments"];
            request.Headers.Add("Prefer", "outlook.body-content-type=\"text\"");
        }, ct) ?? throw new InvalidOperationException($"message {messageId} not found in {mailbox}");
        var attachments = (message.Attachments ?? []).OfType<FileAttachment>()
            .Select(a => new MailAttachment(a.Name ?? "", a.ContentType ?? "application/octet-stream", a.ContentBytes ?? [])).ToList();
        return new InboundMail(messageId, message.From?.EmailAddress?.Address ?? "", message.Subject ?? "",
            message.ReceivedDateTime ?? DateTimeOffset.MinValue, message.Body?.Content ?? "", attachments);
    }
}
