using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Wetstoets.Storage.Sqlite;

/// <summary>
/// Every connection commits durably (<c>synchronous=FULL</c>: responses are a legal record). Set on every
/// open, because a pooled connection object may get another native connection each time.
/// </summary>
public sealed class DurableSqliteInterceptor : DbConnectionInterceptor
{
    // busy_timeout comes from the connection string (Default Timeout); foreign keys are switched on by EF Core.
    public const string Pragmas = "PRAGMA synchronous=FULL;";

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
