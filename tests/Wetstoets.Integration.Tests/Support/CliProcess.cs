using System.Diagnostics;
using System.Text;

namespace Wetstoets.Integration.Tests.Support;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public string[] Lines => StdOut.TrimEnd('\n').Split('\n');
}

/// <summary>The built <c>wetstoets</c> executable (copied beside the tests), run as a process.</summary>
public static class CliProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "wetstoets.exe" : "wetstoets");

    /// <summary>Environment variables for the next processes of this test (e.g. <c>SSL_CERT_FILE</c>), per async flow.</summary>
    private static readonly AsyncLocal<IReadOnlyDictionary<string, string>?> ExtraEnvironment = new();

    public static IDisposable WithEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        ExtraEnvironment.Value = variables;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => ExtraEnvironment.Value = null;
    }

    public static ProcessStartInfo StartInfo(string dataFolder, params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(dataFolder);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("WETSTOETS_DATA");
        foreach (var (name, value) in ExtraEnvironment.Value ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return start;
    }

    public static async Task<CliResult> RunAsync(string dataFolder, params string[] args)
    {
        using var process = Process.Start(StartInfo(dataFolder, args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Hung: stop it, and let the test fail with what it printed.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new CliResult(-1, await stdout, await stderr + "\n[killed after 2 minutes]");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Starts a long-running command (a worker). Its output is collected into <paramref name="output"/> as it
    /// comes, for failure messages, and so a full pipe never blocks the process.
    /// </summary>
    public static Process Start(string dataFolder, StringBuilder output, params string[] args)
    {
        var process = new Process { StartInfo = StartInfo(dataFolder, args) };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
