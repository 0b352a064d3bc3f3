using System.Text.Json;
using Wetstoets.Integration.Tests.Support;

namespace Wetstoets.Integration.Tests.Cli;

/// <summary>The command line as people and scripts use it: one process per command, on one workspace.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _data = TestWorkspace.NewFolder("wt-cli");

    private Task<CliResult> Run(params string[] args) => CliProcess.RunAsync(_data, args);

    private async Task SeedAsync()
    {
        Assert.Equal(0, (await Run("init")).ExitCode);
        Assert.Equal(0, (await Run("municipalities", "import", TestWorkspace.Sample("municipalities.csv"))).ExitCode);
        Assert.Equal(0, (await Run("panels", "import", TestWorkspace.Sample("panels.yaml"))).ExitCode);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_data, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Review_start_prints_the_id_alone_on_the_first_line_and_status_json_is_one_document()
    {
        await SeedAsync();
        var start = await Run("review", "start", TestWorkspace.Sample("draft-v1.yaml"));
        Assert.Equal(0, start.ExitCode);
        Assert.Matches(@"^WT-\d{4}-0001$", start.Lines[0]);
        var id = start.Lines[0];

        var status = await Run("review", "status", id, "--json");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.StdOut);
        Assert.Equal(59, json.RootElement.GetProperty("invited").GetInt32());
        Assert.Equal("waiting", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("reminder", json.RootElement.GetProperty("nextTimer").GetProperty("kind").GetString());

        var list = await Run("review", "list", "--json");
        Assert.Equal(id, JsonDocument.Parse(list.StdOut).RootElement[0].GetProperty("id").GetString());
        var history = JsonDocument.Parse((await Run("review", "history", id, "--json")).StdOut).RootElement;
        Assert.Equal("review-started", history.EnumerateArray().First(e => e.GetProperty("kind").GetString() == "action").GetProperty("what").GetString());
        Assert.Equal(3, history.EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "timer" && e.GetProperty("details").GetString() == "pending"));
        var panels = await Run("panels", "list", "--json");
        Assert.Equal(59, JsonDocument.Parse(panels.StdOut).RootElement[0].GetProperty("members").GetInt32());
        Assert.Equal(59, Directory.GetFiles(Path.Combine(_data, "outbox", id, "1"), "*.eml").Length);

        var response = Write("antwoord.yaml", Responses.For("GM0363"));
        var submit = await Run("feedback", "submit", id, response);
        Assert.Equal(0, submit.ExitCode);
        Assert.Contains("revision 1", submit.StdErr, StringComparison.Ordinal);

        // Rotterdam answers with the workbook its invitation carried; a workbook edited to claim another review is refused.
        var invitation = await MimeKit.MimeMessage.LoadAsync(Path.Combine(_data, "outbox", id, "1", "GM0599-1.eml"));
        var attached = (MimeKit.MimePart)invitation.Attachments.Single();
        using var workbook = new MemoryStream();
        await attached.Content!.DecodeToAsync(workbook);
        var filled = Path.Combine(_data, "ingevuld.xlsx");
        File.WriteAllBytes(filled, Workbooks.Fill(workbook.ToArray(), ("Vragenlijst", "C2", "uitvoerbaar"), ("Vragenlijst", "C3", "beperkt")));
        var byWorkbook = await Run("feedback", "submit", id, filled);
        Assert.True(byWorkbook.ExitCode == 0, byWorkbook.StdErr);
        Assert.Contains("GM0599: response revision 1", byWorkbook.StdErr, StringComparison.Ordinal);
        var other = Path.Combine(_data, "ander.xlsx");
        File.WriteAllBytes(other, Workbooks.Fill(File.ReadAllBytes(filled), ("Meta", "B1", "WT-2026-9999")));
        var refused = await Run("feedback", "submit", id, other);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("belongs to review WT-2026-9999", refused.StdErr, StringComparison.Ordinal);

        var render = await Run("report", "render", id, "--out", Path.Combine(_data, "voorbeeld"));
        Assert.Equal(0, render.ExitCode);
        Assert.Contains("Amsterdam", File.ReadAllText(Path.Combine(_data, "voorbeeld", "rapport.md")), StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(File.ReadAllText(Path.Combine(_data, "voorbeeld", "data.json"))).RootElement.GetProperty("responded").GetInt32());

        var publish = await Run("report", "publish", id);
        Assert.Equal(1, publish.ExitCode);
        Assert.Contains("has no report yet", publish.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_message_and_the_exit_code_of_the_contract()
    {
        await SeedAsync();
        var malformed = await Run("review", "start", Write("kapot.yaml", "title: \"open\nlaw: x\n"));
        Assert.Equal(1, malformed.ExitCode);
        Assert.Matches(@"kapot\.yaml:\d+:\d+: ", malformed.StdErr);
        Assert.Equal("", malformed.StdOut);

        Assert.Equal(1, (await Run("review", "status", "WT-2099-0001")).ExitCode);
        Assert.Equal(1, (await Run("panels", "import", Path.Combine(_data, "bestaat-niet.yaml"))).ExitCode);
        var csv = await Run("municipalities", "import", Write("fout.csv", "code;name;province;population\nGM12;X;Y;1\n"));
        Assert.Equal(1, csv.ExitCode);
        Assert.Contains("fout.csv:2:1:", csv.StdErr, StringComparison.Ordinal);

        Assert.Equal(2, (await Run("review", "begin")).ExitCode);
        Assert.Equal(2, (await Run("review", "status")).ExitCode);
        Assert.Equal(2, (await Run("workflows", "show", "uitvoeringstoets", "--format", "svg")).ExitCode);
    }

    [Fact]
    public async Task A_bad_configuration_key_is_named_at_start_up()
    {
        Directory.CreateDirectory(_data);
        Write("wetstoets.json", """{ "Storage": { "Provider": "oracle" } }""");
        var result = await Run("review", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Storage:Provider", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workflows_can_be_listed_drawn_and_validated()
    {
        var list = await Run("workflows", "list", "--json");
        Assert.Contains(JsonDocument.Parse(list.StdOut).RootElement.EnumerateArray(), w => w.GetProperty("id").GetString() == "uitvoeringstoets");
        var mermaid = await Run("workflows", "show", "uitvoeringstoets", "--format", "mermaid");
        Assert.StartsWith("flowchart TD", mermaid.StdOut, StringComparison.Ordinal);
        var json = JsonDocument.Parse((await Run("workflows", "show", "uitvoeringstoets", "--json")).StdOut).RootElement;
        Assert.Equal(("uitvoeringstoets", 1), (json.GetProperty("id").GetString(), json.GetProperty("version").GetInt32()));
        Assert.Equal("einde", json.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("type").GetString() == "decision").GetProperty("on").GetProperty("sluiten").GetString());

        var valid = await Run("workflows", "validate", Path.Combine(AppContext.BaseDirectory, "workflows", "uitvoeringstoets.yaml"));
        Assert.Equal((0, ""), (valid.ExitCode, valid.StdOut));
        var broken = Write("kapot-workflow.yaml", "id: x\nversion: 1\nquestionnaire: uitvoeringstoets\nsteps:\n  - id: a\n    type: wachten\n");
        var invalid = await Run("workflows", "validate", broken);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains($"{broken}:6:11: unknown step type 'wachten'", invalid.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_records_two_tagged_versions_and_prints_the_repository_last()
    {
        var demo = await Run("demo");
        Assert.True(demo.ExitCode == 0, demo.StdErr);
        var repository = demo.Lines[^1];
        Assert.Equal(Path.Combine(_data, "reports"), repository);
        var log = Git.Run(repository, "log", "--oneline").Trim().Split('\n');
        Assert.Equal(2, log.Length);
        Assert.Matches(@"^[0-9a-f]+ WT-\d{4}-0001 v2: ", log[0]);
        Assert.Matches(@"^[0-9a-f]+ WT-\d{4}-0001 v1: ", log[1]);
        var id = log[0].Split(' ')[1];
        foreach (var tag in new[] { $"{id}-v1", $"{id}-v2" })
        {
            var report = Git.Run(repository, "show", $"{tag}:participatiewet/{id}/rapport.md");
            Assert.Contains("DEMO – fictieve antwoorden", report, StringComparison.Ordinal);
            Assert.Contains("DEMO – fictieve antwoorden", Git.Run(repository, "show", $"{tag}:participatiewet/{id}/rapport.html"), StringComparison.Ordinal);
        }
        Assert.Contains("Wijzigingen sinds versie 1", Git.Run(repository, "show", $"{id}-v2:participatiewet/{id}/rapport.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_refuses_a_folder_that_is_not_empty()
    {
        Write("iets.txt", "x");
        var demo = await Run("demo");
        Assert.Equal(1, demo.ExitCode);
        Assert.Contains("not empty", demo.StdErr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
