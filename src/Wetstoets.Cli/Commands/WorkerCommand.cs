using System.CommandLine;
using Wetstoets.Cli.Hosting;
using static Wetstoets.Cli.Commands.CommandFactory;

namespace Wetstoets.Cli.Commands;

public static class WorkerCommand
{
    public static Command Build() => Create("worker", "Run the worker (timers, outgoing mail) until stopped", async (_, context, ct) =>
    {
        var services = await DatabaseUnavailable.RetryAsync(() => context.ServicesAsync(ct),
            e => Output.Message($"database unavailable ({e.Message}); retrying in {DatabaseUnavailable.RetryDelay.TotalSeconds:0} s"), ct);
        await using var worker = new WorkerHost(services, context.Workspace);
        try
        {
            Output.Message($"worker running on {context.Workspace.DataDirectory} (Ctrl+C stops it)");
            await worker.RunAsync(ct);
        }
        catch (WorkerCannotStart e)
        {
            Output.Message("error: " + e.Message);
            return ExitCode.Rejected;
        }
        return ExitCode.Success;
    });
}
