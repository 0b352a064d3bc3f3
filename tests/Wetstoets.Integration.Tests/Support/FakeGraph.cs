using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wetstoets.Integration.Tests.Support;

/// <summary>A mail the fake Graph accepted through <c>sendMail</c>.</summary>
public sealed record GraphSentMail(string Mailbox, string Subject, string BodyType, string Body, string ToName, string ToAddress,
    IReadOnlyList<GraphAttachment> Attachments, IReadOnlyDictionary<string, string> Headers, bool SaveToSentItems,
    IReadOnlyDictionary<string, string> ExtendedProperties);

public sealed record GraphAttachment(string ODataType, string Name, string ContentType, byte[] Content);

/// <summary>A message in the fake mailbox's replies folder.</summary>
public sealed record GraphInboxMessage(string Id, string Subject, string FromAddress, DateTimeOffset ReceivedAt, string Text, IReadOnlyList<GraphAttachment> Attachments);

/// <summary>
/// An HTTP server on 127.0.0.1 that answers like Microsoft Graph v1.0 for the calls Wetstoets makes, driven
/// by the real SDK: bearer token required, <c>202</c> for sendMail, error bodies as
/// <c>{"error":{"code","message"}}</c>, JSON read case-insensitively (the SDK writes <c>Message</c>,
/// <c>SaveToSentItems</c>), and throttling as Exchange does it (429 with Retry-After) when
/// <see cref="Throttle"/> says so.
/// </summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private int _requests;

    public FakeGraph(string token = "test-token")
    {
        Token = token;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/v1.0";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Token { get; }
    public string BaseUrl { get; }
    public ConcurrentQueue<GraphSentMail> Sent { get; } = new();
    public int Requests => _requests;
    public int Throttled => _throttled;
    private int _throttled;

    /// <summary>Decides, by the request's number (1, 2, …), whether to answer 429 instead.</summary>
    public Func<int, bool> Throttle { get; set; } = _ => false;

    private readonly List<GraphInboxMessage> _inbox = [];
    private int _deltaRequests;
    private int _fetchRequests;

    /// <summary>Messages per delta page at most (a client's <c>Prefer: odata.maxpagesize</c> may ask for fewer).</summary>
    public int PageSize { get; set; } = 10;
    public int DeltaRequests => _deltaRequests;
    public int FetchRequests => _fetchRequests;

    /// <summary>When set, a delta link is answered 410 <c>syncStateNotFound</c>, as when Exchange dropped the sync state.</summary>
    public bool ForgetSyncState { get; set; }

    /// <summary>Decides, by message id, whether fetching it fails with a 500 (not retried by the SDK): an interrupted sync.</summary>
    public Func<string, bool> FailFetch { get; set; } = _ => false;

    public void Deliver(GraphInboxMessage message)
    {
        lock (_inbox)
        {
            _inbox.Add(message);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var number = Interlocked.Increment(ref _requests);
            if (request.Headers["Authorization"] != $"Bearer {Token}")
            {
                await ErrorAsync(response, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
                return;
            }
            if (Throttle(number))
            {
                Interlocked.Increment(ref _throttled);
                response.Headers["Retry-After"] = "0";
                await ErrorAsync(response, 429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.");
                return;
            }
            var path = request.Url!.AbsolutePath;
            const string users = "/v1.0/users/";
            if (request.HttpMethod == "POST" && path.StartsWith(users, StringComparison.Ordinal) && path.EndsWith("/sendMail", StringComparison.Ordinal))
            {
                var mailbox = Uri.UnescapeDataString(path[users.Length..^"/sendMail".Length]);
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                Sent.Enqueue(ReadSendMail(mailbox, JsonNode.Parse(await reader.ReadToEndAsync())!));
                response.StatusCode = 202;
                response.Close();
                return;
            }
            if (path.StartsWith("/v1.0/sites/", StringComparison.Ordinal) && path.EndsWith("/items", StringComparison.Ordinal))
            {
                await ListItemsAsync(request, response, path);
                return;
            }
            if (request.HttpMethod == "POST" && path.StartsWith(users, StringComparison.Ordinal) && path.EndsWith("/events", StringComparison.Ordinal))
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                await CreateEventAsync(response, JsonNode.Parse(await reader.ReadToEndAsync())!);
                return;
            }
            if (request.HttpMethod == "GET" && path.StartsWith(users, StringComparison.Ordinal) && path.EndsWith("/mailFolders/sentitems/messages", StringComparison.OrdinalIgnoreCase))
            {
                await SentItemsAsync(request, response);
                return;
            }
            if (request.HttpMethod == "GET" && path.StartsWith(users, StringComparison.Ordinal) && path.Contains("/messages/delta", StringComparison.Ordinal))
            {
                await DeltaAsync(request, response, path);
                return;
            }
            if (request.HttpMethod == "GET" && path.StartsWith(users, StringComparison.Ordinal) && path.Contains("/messages/", StringComparison.Ordinal))
            {
                await FetchAsync(response, Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]));
                return;
            }
            await ErrorAsync(response, 400, "BadRequest", $"Resource not found for the segment '{path}'.");
        }
        catch (Exception e)
        {
            await ErrorAsync(response, 500, "InternalServerError", e.Message);
        }
    }

    private static GraphSentMail ReadSendMail(string mailbox, JsonNode body)
    {
        var message = Field(body, "message")!;
        var to = Field(Field(message, "toRecipients")!.AsArray()[0]!, "emailAddress")!;
        var attachments = (Field(message, "attachments")?.AsArray() ?? []).Select(a => new GraphAttachment(
            (string?)Field(a!, "@odata.type") ?? "",
            (string)Field(a!, "name")!,
            (string)Field(a!, "contentType")!,
            Convert.FromBase64String((string)Field(a!, "contentBytes")!))).ToList();
        var headers = (Field(message, "internetMessageHeaders")?.AsArray() ?? [])
            .ToDictionary(h => (string)Field(h!, "name")!, h => (string)Field(h!, "value")!, StringComparer.OrdinalIgnoreCase);
        var properties = (Field(message, "singleValueExtendedProperties")?.AsArray() ?? [])
            .ToDictionary(p => (string)Field(p!, "id")!, p => (string)Field(p!, "value")!, StringComparer.OrdinalIgnoreCase);
        return new GraphSentMail(mailbox, (string)Field(message, "subject")!, (string)Field(Field(message, "body")!, "contentType")!,
            (string)Field(Field(message, "body")!, "content")!, (string)Field(to, "name")!, (string)Field(to, "address")!,
            attachments, headers, (bool?)Field(body, "saveToSentItems") ?? true, properties);
    }

    /// <summary>
    /// The delta query of a folder as Graph pages it: the first request takes a snapshot of the folder; each
    /// page links to the next with an absolute URL; the last page gives a delta link that later returns only
    /// what arrived since. Tokens here are positions in the folder.
    /// </summary>
    private async Task DeltaAsync(HttpListenerRequest request, HttpListenerResponse response, string path)
    {
        Interlocked.Increment(ref _deltaRequests);
        var query = System.Web.HttpUtility.ParseQueryString(request.Url!.Query);
        if (query["$deltatoken"] is not null && ForgetSyncState)
        {
            await ErrorAsync(response, 410, "syncStateNotFound", "The sync state generation is not found.");
            return;
        }
        int from, to;
        lock (_inbox)
        {
            (from, to) = query["$skiptoken"] is { } skip ? (int.Parse(skip.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(skip.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture))
                : query["$deltatoken"] is { } delta ? (int.Parse(delta, System.Globalization.CultureInfo.InvariantCulture), _inbox.Count)
                : (0, _inbox.Count);
        }
        var size = PageSize;
        if (request.Headers["Prefer"] is { } prefer && System.Text.RegularExpressions.Regex.Match(prefer, @"odata\.maxpagesize=(\d+)") is { Success: true } asked)
        {
            size = Math.Min(size, int.Parse(asked.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        List<GraphInboxMessage> page;
        lock (_inbox)
        {
            page = _inbox.Skip(from).Take(Math.Min(size, to - from)).ToList();
        }
        var self = $"http://127.0.0.1:{request.Url.Port}{path}";
        var next = from + page.Count;
        var body = new JsonObject
        {
            ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#Collection(message)",
            ["value"] = new JsonArray([.. page.Select(m => (JsonNode)new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.message", ["@odata.etag"] = "W/\"CQAAABYAAAA\"", ["id"] = m.Id, ["subject"] = m.Subject,
            })]),
        };
        body[next < to ? "@odata.nextLink" : "@odata.deltaLink"] = next < to ? $"{self}?$skiptoken={next}-{to}" : $"{self}?$deltatoken={to}";
        await JsonAsync(response, body);
    }

    /// <summary>Items added to SharePoint lists: <c>site/list</c> and the item's fields.</summary>
    public ConcurrentQueue<(string List, JsonObject Fields)> ListItems { get; } = new();

    /// <summary>
    /// <c>POST /sites/{site}/lists/{list}/items</c> (201 with the item) and <c>GET</c> filtered on
    /// <c>fields/Title eq '…'</c>, which SharePoint answers only with the Prefer header for unindexed columns.
    /// </summary>
    private async Task ListItemsAsync(HttpListenerRequest request, HttpListenerResponse response, string path)
    {
        var list = Uri.UnescapeDataString(path["/v1.0/sites/".Length..^"/items".Length].Replace("/lists/", "/", StringComparison.Ordinal));
        if (request.HttpMethod == "POST")
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var fields = Field(JsonNode.Parse(await reader.ReadToEndAsync())!, "fields")!.AsObject();
            ListItems.Enqueue((list, (JsonObject)fields.DeepClone()));
            await JsonAsync(response, new JsonObject { ["id"] = ListItems.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), ["fields"] = fields.DeepClone() }, status: 201);
            return;
        }
        var filter = System.Web.HttpUtility.ParseQueryString(request.Url!.Query)["$filter"] ?? "";
        var title = System.Text.RegularExpressions.Regex.Match(filter, @"^fields/Title eq '(?<title>.*)'$");
        if (!title.Success || request.Headers["Prefer"]?.Contains("HonorNonIndexedQueriesWarningMayFailRandomly", StringComparison.Ordinal) != true)
        {
            await ErrorAsync(response, 400, "invalidRequest", "Field 'Title' cannot be referenced in filter or orderby as it is not indexed.");
            return;
        }
        var found = ListItems.Where(i => i.List == list && (string?)i.Fields["Title"] == title.Groups["title"].Value.Replace("''", "'", StringComparison.Ordinal))
            .Take(1).Select(i => (JsonNode)new JsonObject { ["id"] = "1", ["fields"] = i.Fields.DeepClone() });
        await JsonAsync(response, new JsonObject { ["value"] = new JsonArray([.. found]) });
    }

    /// <summary>Events created in the calendar, by transaction id.</summary>
    public ConcurrentDictionary<string, JsonNode> Events { get; } = new(StringComparer.Ordinal);
    public int EventRequests => _eventRequests;
    private int _eventRequests;

    /// <summary>
    /// <c>POST /users/{mailbox}/events</c>: 201 with the event, its id and, for an online meeting, the Teams
    /// join link. A second request with the same <c>transactionId</c> returns the first event, as Exchange does.
    /// </summary>
    private async Task CreateEventAsync(HttpListenerResponse response, JsonNode body)
    {
        Interlocked.Increment(ref _eventRequests);
        var key = (string?)Field(body, "transactionId") ?? Guid.NewGuid().ToString("N");
        var created = Events.GetOrAdd(key, _ =>
        {
            var stored = body.DeepClone();
            stored["id"] = "AAMkEvent" + Events.Count;
            if ((bool?)Field(body, "isOnlineMeeting") == true)
            {
                stored["onlineMeeting"] = new JsonObject { ["joinUrl"] = $"https://teams.microsoft.com/l/meetup-join/{Uri.EscapeDataString(key)}" };
            }
            return stored;
        });
        await JsonAsync(response, created, status: 201);
    }

    /// <summary>Sent Items filtered on an extended property's value, the one filter Wetstoets uses there.</summary>
    private async Task SentItemsAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        var filter = System.Web.HttpUtility.ParseQueryString(request.Url!.Query)["$filter"] ?? "";
        var match = System.Text.RegularExpressions.Regex.Match(filter, @"ep/id eq '(?<id>[^']+)' and ep/value eq '(?<value>[^']*)'");
        if (!match.Success)
        {
            await ErrorAsync(response, 400, "BadRequest", $"Unsupported filter '{filter}'.");
            return;
        }
        var found = Sent.Where(m => m.SaveToSentItems && m.ExtendedProperties.TryGetValue(match.Groups["id"].Value, out var v) && v == match.Groups["value"].Value)
            .Take(1).Select(m => (JsonNode)new JsonObject { ["id"] = Guid.NewGuid().ToString("N") });
        await JsonAsync(response, new JsonObject { ["value"] = new JsonArray([.. found]) });
    }

    private async Task FetchAsync(HttpListenerResponse response, string id)
    {
        Interlocked.Increment(ref _fetchRequests);
        GraphInboxMessage? message;
        lock (_inbox)
        {
            message = _inbox.FirstOrDefault(m => m.Id == id);
        }
        if (message is null)
        {
            await ErrorAsync(response, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
            return;
        }
        if (FailFetch(id))
        {
            await ErrorAsync(response, 500, "ErrorInternalServerError", "Something went wrong.");
            return;
        }
        await JsonAsync(response, new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.message", ["id"] = message.Id, ["subject"] = message.Subject,
            ["receivedDateTime"] = message.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["from"] = new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = message.FromAddress, ["address"] = message.FromAddress } },
            ["body"] = new JsonObject { ["contentType"] = "text", ["content"] = message.Text },
            ["attachments"] = new JsonArray([.. message.Attachments.Select(a => (JsonNode)new JsonObject
            {
                ["@odata.type"] = a.ODataType, ["id"] = Guid.NewGuid().ToString("N"), ["name"] = a.Name, ["contentType"] = a.ContentType,
                ["size"] = a.Content.Length, ["isInline"] = false, ["contentBytes"] = Convert.ToBase64String(a.Content),
            })]),
        });
    }

    private static Task JsonAsync(HttpListenerResponse response, JsonNode body, int status = 200)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        // Headers and body in one piece: written apart, the client's delayed acknowledgement costs 40 ms a response.
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        response.ContentLength64 = bytes.Length;
        response.Close(bytes, willBlock: true);
        return Task.CompletedTask;
    }

    /// <summary>A property by name, whatever its case: the SDK writes some top-level keys in PascalCase.</summary>
    private static JsonNode? Field(JsonNode node, string name) =>
        node.AsObject().FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static async Task ErrorAsync(HttpListenerResponse response, int status, string code, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { error = new { code, message } });
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
