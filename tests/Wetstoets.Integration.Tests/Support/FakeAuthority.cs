using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Wetstoets.Integration.Tests.Support;

/// <summary>
/// A sign-in authority on https://127.0.0.1 that answers like Microsoft Entra ID's token endpoint for the
/// client-credentials grant (<c>POST /{tenant}/oauth2/v2.0/token</c>). Wetstoets skips instance discovery for
/// an authority that is not one of Microsoft's clouds, so nothing else is asked.
/// Azure.Identity signs in only over TLS, so the server has a self-signed certificate for 127.0.0.1, written
/// to <see cref="CertificateFile"/> for a process to trust (<c>SSL_CERT_FILE</c>). One request per connection.
/// </summary>
public sealed class FakeAuthority : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly string _accessToken;
    private readonly Task _serving;

    public FakeAuthority(string accessToken)
    {
        _accessToken = accessToken;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        CertificateFile = Path.Combine(TestWorkspace.NewFolder("wt-authority"), "authority.pem");
        File.WriteAllText(CertificateFile, _certificate.ExportCertificatePem());
        _listener.Start();
        Url = $"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }
    public string CertificateFile { get; }
    public ConcurrentQueue<string> TokenRequests { get; } = new();

    /// <summary>Client ids with the secret each must present.</summary>
    public Dictionary<string, string> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>Client ids with the certificate whose key must sign their assertion.</summary>
    public Dictionary<string, X509Certificate2> ClientCertificates { get; } = new(StringComparer.Ordinal);

    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using var _ = client;
        await using var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(_certificate);
            var (method, target, body) = await ReadRequestAsync(tls);
            var (status, json) = Answer(method, target.Split('?')[0], body);
            var payload = Encoding.UTF8.GetBytes(json);
            var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Unauthorized")}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(payload).ToArray());
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // A client that gave up: nothing to answer.
        }
    }

    private (int Status, string Json) Answer(string method, string path, string body)
    {
        var segments = path.Trim('/').Split('/');
        if (method == "POST" && path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            var form = System.Web.HttpUtility.ParseQueryString(body);
            TokenRequests.Enqueue($"{segments[0]} {form["grant_type"]} {form["client_id"]} {form["scope"]}");
            return form["grant_type"] == "client_credentials" && form["client_id"] is { } id && (SecretMatches(id, form["client_secret"]) || AssertionVerifies(id, form))
                ? (200, JsonSerializer.Serialize(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = _accessToken }))
                : (401, JsonSerializer.Serialize(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." }));
        }
        return (404, JsonSerializer.Serialize(new { error = "not_found", error_description = $"{method} {path}" }));
    }

    private bool SecretMatches(string client, string? secret) => secret is not null && Clients.TryGetValue(client, out var expected) && secret == expected;

    /// <summary>A certificate credential's client assertion: a JWT signed with the key of the client's certificate.</summary>
    private bool AssertionVerifies(string client, System.Collections.Specialized.NameValueCollection form)
    {
        if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || form["client_assertion"] is not { } assertion
            || !ClientCertificates.TryGetValue(client, out var certificate))
        {
            return false;
        }
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }
        // MSAL signs with RSA-PSS (PS256) where Entra ID accepts it, else PKCS #1 (RS256).
        var padding = JsonDocument.Parse(Base64Url(parts[0])).RootElement.GetProperty("alg").GetString() switch
        {
            "PS256" => RSASignaturePadding.Pss,
            "RS256" => RSASignaturePadding.Pkcs1,
            _ => null,
        };
        using var key = certificate.GetRSAPublicKey()!;
        return padding is not null && key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, padding);
    }

    private static byte[] Base64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4));

    /// <summary>A key and a self-signed certificate for a client, as one PEM file (certificate, then private key).</summary>
    public static (X509Certificate2 Certificate, string PemFile) NewClientCertificate(string name)
    {
        using var key = RSA.Create(2048);
        using var created = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var file = Path.Combine(TestWorkspace.NewFolder("wt-client"), $"{name}.pem");
        File.WriteAllText(file, created.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        return (X509CertificateLoader.LoadCertificate(created.RawData), file);
    }

    /// <summary>The request line, and the body as long as Content-Length says.</summary>
    private static async Task<(string Method, string Target, string Body)> ReadRequestAsync(Stream stream)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                throw new IOException("connection closed in the request head");
            }
            buffer.Write(chunk, 0, read);
        }
        var head = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, headerEnd).Split("\r\n");
        var length = head.Skip(1).Select(h => h.Split(':', 2)).Where(h => h[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(h => int.Parse(h[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        while (buffer.Length < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                break;
            }
            buffer.Write(chunk, 0, read);
        }
        var parts = head[0].Split(' ');
        return (parts[0], parts[1], Encoding.UTF8.GetString(buffer.GetBuffer(), headerEnd + 4, (int)buffer.Length - headerEnd - 4));
    }

    private static int IndexOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> value) => data.IndexOf(value);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
        _certificate.Dispose();
    }
}
