using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Wetstoets.Hosting;
using Wetstoets.Persistence;
using Wetstoets.Storage;

namespace Wetstoets.Cli.Hosting;

/// <summary>One command's view of the workspace: its services, opened and migrated on first use.</summary>
public sealed class CliContext : IAsyncDisposable
{
    private ServiceProvider? _services;

    private CliContext(Workspace workspace) => Workspace = workspace;

    public Workspace Workspace { get; }

    public static string Actor => "cli:" + Environment.UserName;

    public static readonly Option<string?> DataOption = new("--data")
    {
        Description = "The workspace folder (default: $WETSTOETS_DATA, else ./wetstoets-data)",
        Recursive = true,
    };

    public static readonly Option<bool> JsonOption = new("--json") { Description = "Print exactly one JSON document on stdout" };

    public static CliContext From(ParseResult parse) =>
        ForFolder(parse.GetValue(DataOption) ?? Environment.GetEnvironmentVariable("WETSTOETS_DATA") ?? "wetstoets-data");

    public static CliContext ForFolder(string folder) => new(new Workspace(Path.GetFullPath(folder), AppContext.BaseDirectory));

    public async Task<ServiceProvider> ServicesAsync(CancellationToken ct, WorkspaceConfiguration? configuration = null)
    {
        if (_services is not null)
        {
            return _services;
        }
        Directory.CreateDirectory(Workspace.DataDirectory);
        var services = Services.Build(Workspace, configuration ?? WorkspaceConfiguration.Load(Workspace));
        try
        {
            await using var scope = services.CreateAsyncScope();
            await StorageSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>(), ct);
        }
        catch
        {
            // Not kept: the next attempt (a worker waiting for its database) must migrate again.
            await services.DisposeAsync();
            throw;
        }
        _services = services;
        return services;
    }

    /// <summary>Runs a use case in its own scope (one database context, one unit of work).</summary>
    public async Task<TResult> RunAsync<TUseCase, TResult>(Func<TUseCase, Task<TResult>> action, CancellationToken ct)
        where TUseCase : notnull
    {
        var services = await ServicesAsync(ct);
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TUseCase>());
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
