using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Wetstoets.Integration.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 cluster on a free loopback port, started from the binaries installed on these
/// machines. One is shared by the whole test run (or the server named by WETSTOETS_TEST_POSTGRES), and each
/// test gets its own database in it; a test that stops the server starts a private one. Under CI=true a server
/// that cannot be started fails the tests; it never skips them.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private static readonly Lazy<string> Shared = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly bool AsRoot = Environment.UserName == "root";

    private readonly string _folder;
    private readonly string _data;
    private readonly int _port;

    private PostgresServer()
    {
        if (!File.Exists(Path.Combine(Binaries, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed under {Binaries} and WETSTOETS_TEST_POSTGRES is not set");
        }
        _folder = Path.Combine(Path.GetTempPath(), $"wt-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        if (AsRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            Run("chown", "postgres", _folder);
        }
        _data = Path.Combine(_folder, "data");
        _port = FreePort();
        RunTool("initdb", "-D", _data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        Start();
    }

    /// <summary>The server's maintenance connection string.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>A connection string to a new, empty database on the shared server.</summary>
    public static string NewDatabase() => CreateDatabase(Shared.Value);

    /// <summary>A server of the test's own, to stop and start at will.</summary>
    public static PostgresServer StartPrivate() => new();

    /// <summary>A connection string to a new, empty database on this server.</summary>
    public string CreateDatabase() => CreateDatabase(ConnectionString);

    public void Start() => RunTool("pg_ctl", "-D", _data, "-l", Path.Combine(_folder, "log"), "-w", "-o",
        $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    /// <summary>Stops the server at once, cutting every connection, as a crash or a network outage would.</summary>
    public void Stop() => RunTool("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // Stopped already.
        }
        try
        {
            // A cluster with a database per test takes hundreds of megabytes: left behind, a few dozen runs fill the disk.
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temp directory is cleaned by the OS.
        }
    }

    private static string StartShared()
    {
        if (Environment.GetEnvironmentVariable("WETSTOETS_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            return configured;
        }
        RemoveAbandoned();
        var server = new PostgresServer();
        // The test host may end before this handler has removed the folder: the next run does (RemoveAbandoned).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server.ConnectionString;
    }

    /// <summary>Removes the clusters of earlier runs: stopped (no postmaster.pid) and untouched for an hour.</summary>
    private static void RemoveAbandoned()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), "wt-pg-*"))
        {
            var log = new FileInfo(Path.Combine(folder, "log"));
            // A folder without a log may be a cluster another run is creating right now.
            if (!log.Exists || log.LastWriteTimeUtc > DateTime.UtcNow.AddHours(-1) || File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
            {
                continue;
            }
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or going away already.
            }
        }
    }

    private static string CreateDatabase(string server)
    {
        var name = $"wt_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ToString();
    }

    private static void RunTool(string tool, params string[] args)
    {
        var program = Path.Combine(Binaries, tool);
        if (AsRoot)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. args]);
        }
        else
        {
            Run(program, args);
        }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error} {output.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
