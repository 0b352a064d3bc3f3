using System.CommandLine;
using Wetstoets.Cli.Hosting;
using Wetstoets.Features.Municipalities;
using Wetstoets.Features.Panels;
using static Wetstoets.Cli.Commands.CommandFactory;

namespace Wetstoets.Cli.Commands;

/// <summary><c>init</c>, <c>municipalities import</c>, <c>panels import</c> and <c>panels list</c>.</summary>
public static class SetupCommands
{
    public static Command Init() => Create("init", "Create the workspace (safe to run again)", async (_, context, ct) =>
    {
        var workspace = context.Workspace;
        Directory.CreateDirectory(workspace.WorkflowsDirectory);
        Directory.CreateDirectory(workspace.TemplatesDirectory);
        Directory.CreateDirectory(workspace.OutboxDirectory);
        if (!File.Exists(workspace.ConfigFile))
        {
            await File.WriteAllTextAsync(workspace.ConfigFile, "{\n  \"Storage\": { \"Provider\": \"sqlite\" },\n  \"Publishing\": { \"Target\": \"git\" }\n}\n", ct);
        }
        await context.ServicesAsync(ct);
        Output.Message($"workspace ready: {workspace.DataDirectory}");
        return ExitCode.Success;
    });

    public static Command Municipalities()
    {
        var file = FileArgument("file.csv", "CSV with columns code,name,province,population");
        return Group("municipalities", "The municipality register",
            Create("import", "Import municipalities from CSV (',' or ';', with or without BOM)", async (parse, context, ct) =>
            {
                var path = parse.GetValue(file)!;
                if (ReadInput(path) is not { } text)
                {
                    return ExitCode.Rejected;
                }
                var result = await context.RunAsync<ImportMunicipalities, Wetstoets.Common.Result<ImportedMunicipalities>>(
                    u => u.ExecuteAsync(path, text, CliContext.Actor, ct), ct);
                if (result.IsSuccess)
                {
                    Output.Message($"{result.Value!.Added} municipalities added, {result.Value.Updated} updated");
                }
                return Output.Report(result);
            }, file));
    }

    public static Command Panels()
    {
        var file = FileArgument("file.yaml", "Panels file (see SPEC §4)");
        return Group("panels", "Panels of municipalities",
            Create("import", "Import panels from YAML", async (parse, context, ct) =>
            {
                var path = parse.GetValue(file)!;
                if (ReadInput(path) is not { } text)
                {
                    return ExitCode.Rejected;
                }
                var result = await context.RunAsync<ImportPanels, Wetstoets.Common.Result<ImportedPanels>>(u => u.ExecuteAsync(path, text, CliContext.Actor, ct), ct);
                if (result.IsSuccess)
                {
                    Output.Message($"imported {string.Join(", ", result.Value!.PanelIds)}: {result.Value.Members} members, {result.Value.Contacts} contacts");
                }
                return Output.Report(result);
            }, file),
            Create("list", "List panels", async (parse, context, ct) =>
            {
                var panels = await context.RunAsync<ListPanels, IReadOnlyList<PanelSummary>>(u => u.ExecuteAsync(ct), ct);
                if (parse.GetValue(CliContext.JsonOption))
                {
                    Output.WriteJson(panels);
                }
                else
                {
                    foreach (var p in panels)
                    {
                        Output.Line($"{p.Id}\t{p.Name}\t{string.Join(",", p.Domains)}\t{p.Members} municipalities\t{string.Join(" ", p.BySizeClass.Select(c => $"{c.Key}:{c.Value}"))}");
                    }
                }
                return ExitCode.Success;
            }, CliContext.JsonOption));
    }
}
