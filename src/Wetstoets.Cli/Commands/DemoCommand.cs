using System.CommandLine;
using Wetstoets.Cli.Demo;
using Wetstoets.Cli.Hosting;

namespace Wetstoets.Cli.Commands;

public static class DemoCommand
{
    public static Command Build() => CommandFactory.Create("demo",
        "Run a whole sample review on embedded defaults (fictitious answers) and print the report repository's path",
        async (parse, context, ct) =>
        {
            if (parse.GetValue(CliContext.DataOption) is null)
            {
                // No --data: a fresh temporary workspace, never the current directory's.
                var folder = Path.Combine(Path.GetTempPath(), $"wetstoets-demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}");
                await using var fresh = CliContext.ForFolder(folder);
                return await new DemoRunner(fresh).RunAsync(ct);
            }
            if (Directory.Exists(context.Workspace.DataDirectory) && Directory.EnumerateFileSystemEntries(context.Workspace.DataDirectory).Any())
            {
                Output.Message($"error: {context.Workspace.DataDirectory} is not empty: the demo needs an empty or new folder");
                return ExitCode.Rejected;
            }
            return await new DemoRunner(context).RunAsync(ct);
        });
}
