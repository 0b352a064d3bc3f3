using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wetstoets.Integration.Tests.Support;

/// <summary>A mail the fake Graph accepted through <c>sendMail</c>.</summary>
public sealed record GraphSentMail(string Mailbox, string Subject, string BodyType, string Body, string ToName, string ToAddress,
    IReadOnlyList<GraphAttachment> Attachments, IReadOnlyDictionary<string, string> Headers, bool SaveToSentItems);

public sealed record GraphAttachment(string ODataType, string Name, string ContentType, byte[] Content);

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
        return new GraphSentMail(mailbox, (string)Field(message, "subject")!, (string)Field(Field(message, "body")!, "contentType")!,
            (string)Field(Field(message, "body")!, "content")!, (string)Field(to, "name")!, (string)Field(to, "address")!,
            attachments, headers, (bool?)Field(body, "saveToSentItems") ?? true);
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
