using System.Data.Common;
using Microsoft.Data.Sqlite;
using System.Runtime.InteropServices;

namespace Wetstoets.Storage.Sqlite;

/// <summary>
/// How a connection waits for another's write lock: it tries again every millisecond, for up to 30 s.
/// SQLite holds its single write lock for a millisecond or two per commit, but its own busy handler
/// (<c>busy_timeout</c>) backs off to sleeps of 10, 25, 50 and 100 ms, so in a storm of commits the lock lay
/// idle while every writer slept; Microsoft.Data.Sqlite without a handler sleeps 150 ms.
/// </summary>
public static class SqliteBusyWait
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    // Kept in a static field: native code holds on to it for as long as any connection lives.
    private static readonly BusyHandler Handler = Wait;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr argument, int count);

    // SQLitePCLRaw, under Microsoft.Data.Sqlite, offers only busy_timeout; this is the same native library.
    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_busy_handler(IntPtr database, BusyHandler handler, IntPtr argument);

    public static void Install(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            var result = sqlite3_busy_handler(handle.DangerousGetHandle(), Handler, IntPtr.Zero);
            if (result != 0)
            {
                throw new InvalidOperationException($"SQLite refused the busy handler (error {result})");
            }
        }
    }

    // count: how often this handler was called for the current wait; a nonzero result tries again.
    private static int Wait(IntPtr argument, int count)
    {
        if (count * 1.1 > Patience.TotalMilliseconds)
        {
            return 0;
        }
        Thread.Sleep(count == 0 ? 0 : 1);
        return 1;
    }
}
