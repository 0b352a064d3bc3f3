namespace Wetstoets.Hosting;

/// <summary>
/// The folders Wetstoets works in: the workspace (<c>--data</c>) and the product's own files shipped next
/// to the binary. Workspace files of the same name win over the shipped ones.
/// </summary>
public sealed record Workspace(string DataDirectory, string ProductDirectory)
{
    public string ConfigFile => Path.Combine(DataDirectory, "wetstoets.json");
    public string DatabaseFile => Path.Combine(DataDirectory, "wetstoets.db");
    public string KeyFile => Path.Combine(DataDirectory, "wetstoets.key");
    public string ReportsDirectory => Path.Combine(DataDirectory, "reports");
    public string OutboxDirectory => Path.Combine(DataDirectory, "outbox");
    public string WorkflowsDirectory => Path.Combine(DataDirectory, "workflows");
    public string TemplatesDirectory => Path.Combine(DataDirectory, "templates");

    /// <summary>Workflow folders, lowest precedence first.</summary>
    public IReadOnlyList<string> WorkflowFolders => [Path.Combine(ProductDirectory, "workflows"), WorkflowsDirectory];

    /// <summary>Template folders, highest precedence first.</summary>
    public IReadOnlyList<string> TemplateFolders => [TemplatesDirectory, Path.Combine(ProductDirectory, "templates")];

    public string SamplesDirectory => Path.Combine(ProductDirectory, "samples");
}
