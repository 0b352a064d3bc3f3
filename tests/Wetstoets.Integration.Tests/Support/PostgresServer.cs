using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Wetstoets.Integration.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 cluster on a free loopback port, started once per test run from the binaries
/// installed on these machines (or the server named by WETSTOETS_TEST_POSTGRES). Each test gets its own
/// database. Under CI=true a server that cannot be started fails the tests; it never skips them.
/// </summary>
public static class PostgresServer
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A connection string to a new, empty database.</summary>
    public static string NewDatabase()
    {
        var server = Server.Value;
        var name = $"wt_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ToString();
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("WETSTOETS_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            return configured;
        }
        if (!File.Exists(Path.Combine(Binaries, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed under {Binaries} and WETSTOETS_TEST_POSTGRES is not set");
        }
        var folder = Path.Combine(Path.GetTempPath(), $"wt-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            Run("chown", "postgres", folder);
        }
        var data = Path.Combine(folder, "data");
        var port = FreePort();
        RunAs(asRoot, Path.Combine(Binaries, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        RunAs(asRoot, Path.Combine(Binaries, "pg_ctl"), "-D", data, "-l", Path.Combine(folder, "log"), "-w", "-o",
            $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                RunAs(asRoot, Path.Combine(Binaries, "pg_ctl"), "-D", data, "-m", "immediate", "stop");
            }
            catch (InvalidOperationException)
            {
                // The run is over; a cluster left behind lives in a temporary folder.
            }
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    private static void RunAs(bool asRoot, string program, params string[] args)
    {
        if (asRoot)
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
