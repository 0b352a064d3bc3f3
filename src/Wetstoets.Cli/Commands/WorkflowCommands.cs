using System.CommandLine;
using Wetstoets.Cli.Hosting;
using Wetstoets.Workflows;
using static Wetstoets.Cli.Commands.CommandFactory;

namespace Wetstoets.Cli.Commands;

/// <summary><c>workflows list</c>, <c>show</c> and <c>validate</c>: read the definitions on disk, no database.</summary>
public static class WorkflowCommands
{
    public static Command Build()
    {
        var id = new Argument<string>("id") { Description = "Workflow id" };
        var format = new Option<string>("--format") { Description = "yaml or mermaid", DefaultValueFactory = _ => "yaml" };
        format.AcceptOnlyFromAmong("yaml", "mermaid");
        var files = new Argument<string[]>("file") { Description = "Workflow definition files", Arity = ArgumentArity.OneOrMore };

        return Group("workflows", "Workflow definitions",
            Create("list", "List workflow definitions (newest version of each)", (parse, context, _) =>
            {
                var catalog = new WorkflowCatalog(context.Workspace.WorkflowFolders);
                var (_, problems) = catalog.LoadAll();
                foreach (var problem in problems)
                {
                    Output.Warn(problem.ToString());
                }
                var latest = catalog.Latest().Select(s => new { s.Definition.Id, s.Definition.Version, s.Definition.Title, s.Definition.Kind, s.Definition.QuestionnaireId, s.Path }).ToList();
                if (parse.GetValue(CliContext.JsonOption))
                {
                    Output.WriteJson(latest);
                }
                else
                {
                    latest.ForEach(w => Output.Line($"{w.Id}\tv{w.Version}\t{w.Title}"));
                }
                return Task.FromResult(ExitCode.Success);
            }, CliContext.JsonOption),
            Create("show", "Show a workflow definition", (parse, context, _) =>
            {
                var source = new WorkflowCatalog(context.Workspace.WorkflowFolders).Find(parse.GetValue(id)!);
                if (source is null)
                {
                    Output.Message($"error: unknown workflow '{parse.GetValue(id)}'");
                    return Task.FromResult(ExitCode.Rejected);
                }
                if (parse.GetValue(CliContext.JsonOption))
                {
                    var d = source.Definition;
                    Output.WriteJson(new
                    {
                        d.Id, d.Version, d.Title, d.Kind, Questionnaire = d.QuestionnaireId, source.Path,
                        Steps = d.Steps.Select(s => new { s.Id, s.Type, s.Next, s.On, Settings = s.Settings.ToString() }),
                    });
                }
                else
                {
                    Console.Out.Write(parse.GetValue(format) == "mermaid" ? MermaidDiagram.Render(source.Definition) : source.Yaml);
                }
                return Task.FromResult(ExitCode.Success);
            }, id, format, CliContext.JsonOption),
            Create("validate", "Check workflow definition files; prints file:line:column: message per problem", (parse, context, _) =>
            {
                var catalog = new WorkflowCatalog(context.Workspace.WorkflowFolders);
                var failed = false;
                foreach (var file in parse.GetValue(files)!)
                {
                    if (!File.Exists(file))
                    {
                        Output.Line($"{file}:1:1: file not found");
                        failed = true;
                        continue;
                    }
                    var (_, diagnostics) = catalog.LoadFile(file);
                    foreach (var diagnostic in diagnostics)
                    {
                        Output.Line(diagnostic.ToString());
                    }
                    failed |= diagnostics.Count > 0;
                }
                return Task.FromResult(failed ? ExitCode.Rejected : ExitCode.Success);
            }, files));
    }
}
