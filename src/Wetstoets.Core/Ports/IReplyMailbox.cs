namespace Wetstoets.Ports;

/// <summary>A message as a page of the mailbox's changes lists it: enough to decide whether to fetch it.</summary>
public sealed record MailboxEntry(string MessageId, string Subject);

/// <summary>One page of changes, with the link to the next page or, on the last page, the link for the next sync.</summary>
public sealed record MailboxPage(IReadOnlyList<MailboxEntry> Messages, string? NextLink, string? DeltaLink);

/// <summary>A message with its attachments.</summary>
public sealed record InboundMail(string MessageId, string FromAddress, string Subject, DateTimeOffset ReceivedAt, string Text, IReadOnlyList<MailAttachment> Attachments);

/// <summary>The shared mailbox's folder of replies, read incrementally (Graph's delta query).</summary>
public interface IReplyMailbox
{
    /// <summary>Identifies the folder, so its sync position can be kept.</summary>
    string Key { get; }

    /// <summary>A page of changes: from the start when <paramref name="link"/> is null, else from a link a page gave.</summary>
    /// <exception cref="SyncStateExpiredException">The link is no longer valid: sync from the start.</exception>
    Task<MailboxPage> ReadPageAsync(string? link, CancellationToken cancellationToken);

    Task<InboundMail> FetchAsync(string messageId, CancellationToken cancellationToken);
}

/// <summary>The mailbox forgot the sync state a delta link refers to (Graph: 410, <c>syncStateNotFound</c>).</summary>
public sealed class SyncStateExpiredException(string message, Exception? inner = null) : Exception(message, inner);
