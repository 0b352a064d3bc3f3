using System.CommandLine;
using System.Data.Common;
using Wetstoets.Cli.Hosting;
using Wetstoets.Reports;

namespace Wetstoets.Cli.Commands;

/// <summary>Builds commands whose action gets a workspace context and whose failures map to exit codes.</summary>
public static class CommandFactory
{
    public static Command Create(string name, string description, Func<ParseResult, CliContext, CancellationToken, Task<int>> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
            }
        }
        command.SetAction(async (parse, ct) =>
        {
            await using var context = CliContext.From(parse);
            try
            {
                return await action(parse, context, ct);
            }
            catch (ConfigurationProblem e)
            {
                Output.Message("configuration error: " + e.Message);
                return ExitCode.Rejected;
            }
            catch (TemplateException e)
            {
                Output.Message("template error: " + e.Message);
                return ExitCode.Rejected;
            }
            catch (Exception e) when (e is DbException or LibGit2Sharp.LibGit2SharpException or IOException or UnauthorizedAccessException
                or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                Output.Message($"error: an outside system failed: {e.Message}");
                return ExitCode.OutsideFailure;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug: say so plainly, with everything needed to report it.
                Output.Message($"error: unexpected failure: {e}");
                return ExitCode.OutsideFailure;
            }
        });
        return command;
    }

    public static Command Group(string name, string description, params Command[] subcommands)
    {
        var group = new Command(name, description);
        foreach (var sub in subcommands)
        {
            group.Subcommands.Add(sub);
        }
        return group;
    }

    public static Argument<string> FileArgument(string name, string description) => new(name) { Description = description };

    /// <summary>Reads a file people wrote; a missing file is a rejected input, not an outside failure.</summary>
    public static string? ReadInput(string path) => Exists(path) ? File.ReadAllText(path) : null;

    /// <summary>The bytes of a file people filled in (a workbook); null, with a message, when it is missing.</summary>
    public static byte[]? ReadInputBytes(string path) => Exists(path) ? File.ReadAllBytes(path) : null;

    private static bool Exists(string path)
    {
        if (File.Exists(path))
        {
            return true;
        }
        Output.Message($"error: {path}: file not found");
        return false;
    }
}
