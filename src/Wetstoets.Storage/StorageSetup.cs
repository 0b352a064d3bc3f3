using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wetstoets.Hosting;
using Wetstoets.Persistence;
using Wetstoets.Storage.Postgres;
using Wetstoets.Storage.Sqlite;

namespace Wetstoets.Storage;

/// <summary>Chooses the database provider from configuration (<c>Storage:Provider</c>).</summary>
public static class StorageSetup
{
    public static string SqliteConnectionString(StorageOptions options, Workspace workspace) =>
        options.ConnectionString is { Length: > 0 } configured
            ? configured
            : new SqliteConnectionStringBuilder { DataSource = workspace.DatabaseFile, Pooling = true, DefaultTimeout = 30 }.ToString();

    public static string PostgresConnectionString(StorageOptions options) =>
        options.ConnectionString is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is 'postgres'");

    public static IServiceCollection AddWetstoetsStorage(this IServiceCollection services, StorageOptions options, Workspace workspace)
    {
        switch (options.Provider)
        {
            case "sqlite":
                var connectionString = SqliteConnectionString(options, workspace);
                services.AddDbContextPool<WetstoetsDbContext, SqliteWetstoetsDbContext>(o => o
                    .UseSqlite(connectionString)
                    .AddInterceptors(new DurableSqliteInterceptor()));
                break;
            case "postgres":
                services.AddDbContextPool<WetstoetsDbContext, PostgresWetstoetsDbContext>(o => o.UseNpgsql(PostgresConnectionString(options)));
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported (sqlite or postgres)");
        }
        return services;
    }

    /// <summary>
    /// Applies pending migrations. EF Core takes a database lock while it migrates, so several workers may
    /// start at once; SQLite is then switched to write-ahead logging (a setting kept in the file).
    /// </summary>
    public static async Task MigrateAsync(WetstoetsDbContext db, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
