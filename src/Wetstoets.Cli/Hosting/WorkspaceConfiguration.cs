using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Wetstoets.Hosting;

namespace Wetstoets.Cli.Hosting;

/// <summary>
/// <c>wetstoets.json</c> in the workspace, overridden by <c>WETSTOETS_</c> environment variables, bound to
/// typed options and validated with a message that names the bad key.
/// </summary>
public sealed class WorkspaceConfiguration
{
    public required IConfiguration Root { get; init; }
    public required StorageOptions Storage { get; init; }
    public required WebOptions Web { get; init; }
    public required PublishingOptions Publishing { get; init; }
    public required WorkerOptions Worker { get; init; }
    public required M365Options M365 { get; init; }
    public string? TokenKey { get; init; }

    public static WorkspaceConfiguration Load(Workspace workspace, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        IConfiguration root;
        try
        {
            root = new ConfigurationBuilder()
                .AddJsonFile(workspace.ConfigFile, optional: true, reloadOnChange: false)
                .AddEnvironmentVariables("WETSTOETS_")
                .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
                .Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new ConfigurationProblem($"{workspace.ConfigFile}: {e.InnerException?.Message ?? e.Message}");
        }
        var configuration = new WorkspaceConfiguration
        {
            Root = root,
            Storage = Bind<StorageOptions>(root, StorageOptions.Section),
            Web = Bind<WebOptions>(root, WebOptions.Section),
            Publishing = Bind<PublishingOptions>(root, PublishingOptions.Section),
            Worker = Bind<WorkerOptions>(root, WorkerOptions.Section),
            M365 = Bind<M365Options>(root, M365Options.Section),
            TokenKey = root["Security:TokenKey"],
        };
        if (configuration.M365.Mailbox is { Length: > 0 } && configuration.M365.AccessToken is not { Length: > 0 }
            && (configuration.M365.TenantId is not { Length: > 0 } || configuration.M365.ClientId is not { Length: > 0 }
                || configuration.M365.ClientSecret is not { Length: > 0 } && configuration.M365.CertificatePath is not { Length: > 0 }))
        {
            throw new ConfigurationProblem("M365:Mailbox: needs M365:TenantId, M365:ClientId and M365:ClientSecret or M365:CertificatePath (or M365:AccessToken for tests)");
        }
        if ((configuration.M365.ResponseListSite is { Length: > 0 }) != (configuration.M365.ResponseList is { Length: > 0 })
            || configuration.M365.ResponseList is { Length: > 0 } && configuration.M365.Mailbox is not { Length: > 0 })
        {
            throw new ConfigurationProblem("M365:ResponseList: the second register needs M365:ResponseListSite and M365:ResponseList together, and M365:Mailbox");
        }
        if (configuration.M365.AuthorityHost is { Length: > 0 } authority && !authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationProblem($"M365:AuthorityHost: '{authority}' is not an https address; Azure.Identity signs in only over TLS (e.g. https://login.microsoftonline.us/)");
        }
        if (configuration.Storage.Provider == "postgres" && configuration.Storage.ConnectionString is not { Length: > 0 })
        {
            throw new ConfigurationProblem("Storage:ConnectionString: required when Storage:Provider is 'postgres' (e.g. Host=db;Database=wetstoets;Username=wetstoets;Password=...)");
        }
        if (configuration.Publishing.Target == "github")
        {
            throw new ConfigurationProblem("Publishing:Target: 'github' is not available in this version yet; use 'git'");
        }
        return configuration;
    }

    private static T Bind<T>(IConfiguration root, string section) where T : class, new()
    {
        var options = new T();
        try
        {
            root.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationProblem($"{section}: {e.InnerException?.Message ?? e.Message}");
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var first = results[0];
            var key = $"{section}:{first.MemberNames.FirstOrDefault()}";
            throw new ConfigurationProblem($"{key}: {first.ErrorMessage}");
        }
        return options;
    }
}

/// <summary>A configuration key with a bad value: reported at start-up, exit code 1.</summary>
public sealed class ConfigurationProblem(string message) : Exception(message);
