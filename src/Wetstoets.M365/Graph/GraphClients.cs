using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;
using Wetstoets.Hosting;

namespace Wetstoets.M365.Graph;

/// <summary>
/// Builds the Graph client from <c>M365:*</c>: the SDK's own middleware (retries on 429/503/504 honouring
/// Retry-After, redirects) and the configured base URL, which the SDK's factory would otherwise replace by
/// graph.microsoft.com. Tokens go only to the base URL's host.
/// </summary>
public static class GraphClients
{
    private static readonly HashSet<string> KnownClouds = new(
        [AzureAuthorityHosts.AzurePublicCloud.Host, AzureAuthorityHosts.AzureChina.Host, AzureAuthorityHosts.AzureGovernment.Host],
        StringComparer.OrdinalIgnoreCase);

    public static GraphServiceClient Create(M365Options options)
    {
        var baseUrl = options.GraphBaseUrl.TrimEnd('/');
        var graphHost = new Uri(baseUrl);
        IAuthenticationProvider authentication = options.AccessToken is { Length: > 0 } token
            ? new BaseBearerTokenAuthenticationProvider(new FixedToken(token, graphHost.Host))
            : new AzureIdentityAuthenticationProvider(Credential(options), [graphHost.Host], scopes: [$"{graphHost.Scheme}://{graphHost.Authority}/.default"]);
        var http = GraphClientFactory.Create();
        return new GraphServiceClient(http, authentication, baseUrl);
    }

    /// <summary>App-only credentials: a client secret or a certificate (a .pfx or .pem file with its private key).</summary>
    public static TokenCredential Credential(M365Options options)
    {
        if (options.TenantId is not { Length: > 0 } tenant || options.ClientId is not { Length: > 0 } client)
        {
            throw new InvalidOperationException("M365:TenantId and M365:ClientId are required with M365:Mailbox (or M365:AccessToken for tests)");
        }
        var authority = options.AuthorityHost is { Length: > 0 } host ? new Uri(host) : AzureAuthorityHosts.AzurePublicCloud;
        // Instance discovery asks Microsoft's public cloud about the authority: right for Microsoft's clouds, a
        // wait for nothing for any other (a private cloud, Azure Stack, a test server) when that cloud is not reachable.
        var discover = KnownClouds.Contains(authority.Host);
        if (options.ClientSecret is { Length: > 0 } secret)
        {
            return new ClientSecretCredential(tenant, client, secret, new ClientSecretCredentialOptions { AuthorityHost = authority, DisableInstanceDiscovery = !discover });
        }
        if (options.CertificatePath is { Length: > 0 } certificate)
        {
            return new ClientCertificateCredential(tenant, client, certificate,
                new ClientCertificateCredentialOptions { AuthorityHost = authority, DisableInstanceDiscovery = !discover });
        }
        throw new InvalidOperationException("M365:ClientSecret or M365:CertificatePath is required with M365:TenantId and M365:ClientId");
    }

    private sealed class FixedToken(string token, string host) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? token : "");
    }
}
