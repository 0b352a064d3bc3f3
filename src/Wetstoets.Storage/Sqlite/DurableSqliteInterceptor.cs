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

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    // Microsoft.Data.Sqlite runs every command synchronously: the asynchronous open does the same work.
    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using (var command = connection.CreateCommand())
        {
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
        SqliteBusyWait.Install(connection);
    }
}
