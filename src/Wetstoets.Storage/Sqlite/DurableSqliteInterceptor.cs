using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Wetstoets.Storage.Sqlite;

/// <summary>
/// Every connection commits durably (<c>synchronous=FULL</c>: responses are a legal record) and waits for a
/// busy database inside SQLite (<c>busy_timeout</c>), which retries within a millisecond or two of the lock
/// coming free. Without it Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms: with a few
/// writers at once, each commit that met another waited 150 ms for a lock held for 2. Set on every open,
/// because a pooled connection object may get another native connection each time.
/// </summary>
public sealed class DurableSqliteInterceptor : DbConnectionInterceptor
{
    // 30 s, as the connection string's Default Timeout; foreign keys are switched on by EF Core.
    public const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
