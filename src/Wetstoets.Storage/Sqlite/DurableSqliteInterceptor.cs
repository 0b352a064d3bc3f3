using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Wetstoets.Storage.Sqlite;

/// <summary>
/// Every connection commits durably (<c>synchronous=FULL</c>: responses are a legal record) and waits for a
/// busy database by polling every millisecond (<see cref="SqliteBusyWait"/>). Set on every open, because a
/// pooled connection object may get another native connection each time.
/// </summary>
public sealed class DurableSqliteInterceptor : DbConnectionInterceptor
{
    public const string Pragmas = "PRAGMA synchronous=FULL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        SqliteBusyWait.Install(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        SqliteBusyWait.Install(connection);
    }
}
