using Npgsql;
using Wetstoets.Ports;

namespace Wetstoets.Storage.Postgres;

/// <summary>
/// A lock for workers on several servers: a PostgreSQL session-level advisory lock on a connection of its
/// own. If the holder dies, its connection closes and the server releases the lock.
/// </summary>
public sealed class AdvisoryLock(string connectionString, long key) : IPublishLock, ISendLock
{
    // Arbitrary, fixed keys, one per purpose ("wtpb" and "wtsm" in ASCII).
    public const long Publishing = 0x77_74_70_62;
    public const long Sending = 0x77_74_73_6D;

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct)
    {
        // Its own connection without pooling: returning it to a pool would keep the lock held.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
