using System.CommandLine;
using Wetstoets.Cli.Commands;
using Wetstoets.Cli.Hosting;

var root = new RootCommand("Wetstoets: test draft legislation with the municipalities that must carry it out");
root.Options.Add(CliContext.DataOption);
root.Subcommands.Add(DemoCommand.Build());
root.Subcommands.Add(SetupCommands.Init());
root.Subcommands.Add(SetupCommands.Municipalities());
root.Subcommands.Add(SetupCommands.Panels());
root.Subcommands.Add(WorkflowCommands.Build());
root.Subcommands.Add(ReviewCommands.Build());
root.Subcommands.Add(FeedbackAndReportCommands.Feedback());
root.Subcommands.Add(FeedbackAndReportCommands.Report());
root.Subcommands.Add(WorkerCommand.Build());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine("usage error: " + error.Message);
    }
    Console.Error.WriteLine("run 'wetstoets --help' for the commands and their options");
    return ExitCode.Usage;
}
return await parse.InvokeAsync();
