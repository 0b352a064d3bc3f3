using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Wetstoets.Storage.Sqlite;

/// <summary>
/// Every connection commits durably (<c>synchronous=FULL</c>: responses are a legal record) and waits for
/// another process's write lock instead of failing at once.
/// </summary>
public sealed class DurableSqliteInterceptor : DbConnectionInterceptor
{
    public const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";

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
