using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Wetstoets.Cli.Hosting;
using Wetstoets.Common;
using Wetstoets.Features.Municipalities;
using Wetstoets.Features.Panels;
using Wetstoets.Hosting;
using Wetstoets.Persistence;
using Wetstoets.Storage;

namespace Wetstoets.Benchmarks;

/// <summary>A real workspace in a temporary folder, wired exactly as the CLI wires it.</summary>
public sealed class BenchWorkspace : IAsyncDisposable
{
    private BenchWorkspace(string folder, Workspace workspace, ServiceProvider services)
    {
        Folder = folder;
        Workspace = workspace;
        Services = services;
    }

    public string Folder { get; }
    public Workspace Workspace { get; }
    public ServiceProvider Services { get; }

    public static async Task<BenchWorkspace> CreateAsync(string label, TimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"wt-bench-{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var workspace = new Workspace(folder, AppContext.BaseDirectory);
        var services = Wetstoets.Cli.Hosting.Services.Build(workspace, WorkspaceConfiguration.Load(workspace, settings), clock: clock);
        await using (var scope = services.CreateAsyncScope())
        {
            await StorageSetup.MigrateAsync(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>(), default);
        }
        return new BenchWorkspace(folder, workspace, services);
    }

    /// <summary>Imports <paramref name="count"/> municipalities spread over every size class, all in one panel.</summary>
    public async Task SeedAsync(int count)
    {
        var csv = new StringBuilder("code,name,province,population\n");
        var panel = new StringBuilder("panels:\n  - id: landelijk\n    domains: [participatie]\n    members:\n");
        for (var i = 1; i <= count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"GM{i:D4},Gemeente {i},Provincie,{5_000 + i * 1_700}\n");
            panel.Append(CultureInfo.InvariantCulture, $"      - municipality: GM{i:D4}\n        contacts: [{{ name: Contact {i}, email: c{i}@gemeente{i}.example }}]\n");
        }
        Require(await Use<ImportMunicipalities, Result<ImportedMunicipalities>>(u => u.ExecuteAsync("bench.csv", csv.ToString(), "bench", default)));
        Require(await Use<ImportPanels, Result<ImportedPanels>>(u => u.ExecuteAsync("bench.yaml", panel.ToString(), "bench", default)));
    }

    /// <summary>A draft for the benchmark panel, optionally with a fixed deadline.</summary>
    public static string Draft(DateTimeOffset? deadline = null) => $"""
        title: Benchmarkwijziging
        law: {"{"} id: participatiewet, name: Participatiewet {"}"}
        domains: [participatie]
        summary: Landelijke ronde.
        changes:
          - {"{"} id: art-31, article: Artikel 31, summary: Vrijlating {"}"}
        {(deadline is { } d ? $"deadline: {d.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)}" : "")}
        """;

    public async Task<T> Use<TUseCase, T>(Func<TUseCase, Task<T>> action) where TUseCase : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TUseCase>());
    }

    public async Task<T> Query<T>(Func<WetstoetsDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<WetstoetsDbContext>());
    }

    public static T Require<T>(Result<T> result) =>
        result.IsSuccess ? result.Value! : throw new InvalidOperationException(string.Join("; ", result.Problems.Select(p => p.Message)));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Leftovers.Add(Folder);
    }

    // Workspaces are removed when the benchmarks are done, not between two measurements. On a file system
    // without a journal (as on these machines) ext4 does not reuse an inode freed less than a minute ago: each
    // new file skips every recently freed one, so deleting a storm's 10,000 files right before the next storm
    // made that one's file creation several times dearer (warm storm 14.4 s and 23.5 ms of processor time per
    // review with the deletion in between, 11.1-12.8 s and 16.2-18.9 ms without).
    private static readonly List<string> Leftovers = [];

    /// <summary>Registers a folder to remove at the end, with the workspaces.</summary>
    public static void RemoveAtEnd(string folder) => Leftovers.Add(folder);

    public static void RemoveLeftovers()
    {
        foreach (var folder in Leftovers)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Git marks objects read-only; the temp folder is cleaned by the OS.
            }
        }
        Leftovers.Clear();
    }
}
