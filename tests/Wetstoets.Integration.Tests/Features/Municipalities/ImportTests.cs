using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Features.Municipalities;
using Wetstoets.Features.Panels;
using Wetstoets.Integration.Tests.Support;

namespace Wetstoets.Integration.Tests.Features.Municipalities;

/// <summary>On SQLite.</summary>
public sealed class SqliteImportTests() : ImportTests("sqlite");

/// <summary>On a real PostgreSQL server.</summary>
public sealed class PostgresImportTests() : ImportTests("postgres");

public abstract class ImportTests(string provider) : IAsyncLifetime
{
    private TestWorkspace _ws = null!;

    public async Task InitializeAsync() => _ws = await TestWorkspace.CreateAsync(provider: provider);

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private Task<Result<ImportedMunicipalities>> ImportCsv(string text) =>
        _ws.Use<ImportMunicipalities, Result<ImportedMunicipalities>>(u => u.ExecuteAsync("gemeenten.csv", text, "test", default));

    private Task<Result<ImportedPanels>> ImportPanels(string text) =>
        _ws.Use<ImportPanels, Result<ImportedPanels>>(u => u.ExecuteAsync("panels.yaml", text, "test", default));

    [Fact]
    public async Task Semicolons_a_byte_order_mark_and_Dutch_thousands_are_read_as_Excel_writes_them()
    {
        var result = await ImportCsv("\uFEFFcode;name;province;population\r\nGM0363;Amsterdam;Noord-Holland;931.298\r\nGM1955;\"Montferland; test\";Gelderland;36000\r\n");
        Assert.Equal(2, TestWorkspace.Ok(result).Added);
        var amsterdam = await _ws.Db(db => db.Municipalities.SingleAsync(m => m.Code == "GM0363"));
        Assert.Equal((931_298, SizeClass.G4), (amsterdam.Population, amsterdam.SizeClass));
        Assert.Equal("Montferland; test", await _ws.Db(db => db.Municipalities.Where(m => m.Code == "GM1955").Select(m => m.Name).SingleAsync()));
    }

    [Fact]
    public async Task Importing_again_updates_instead_of_duplicating()
    {
        TestWorkspace.Ok(await ImportCsv("code,name,province,population\nGM0363,Amsterdam,Noord-Holland,900000\n"));
        var again = TestWorkspace.Ok(await ImportCsv("code,name,province,population\nGM0363,Amsterdam,Noord-Holland,931298\n"));
        Assert.Equal((0, 1), (again.Added, again.Updated));
        Assert.Equal(931_298, await _ws.Db(db => db.Municipalities.Select(m => m.Population).SingleAsync()));
    }

    [Fact]
    public async Task A_bad_row_names_file_line_and_column_and_stores_nothing()
    {
        var result = await ImportCsv("code,name,province,population\nGM0363,Amsterdam,Noord-Holland,931298\nGM12,Nergens,Utrecht,veel\n");
        Assert.False(result.IsSuccess);
        var messages = result.Problems.Select(p => p.Message).ToList();
        Assert.Contains("gemeenten.csv:3:1: 'GM12' is not a CBS municipality code (GM followed by four digits)", messages);
        Assert.Contains(messages, m => m.StartsWith("gemeenten.csv:3:22: population 'veel'", StringComparison.Ordinal));
        Assert.Equal(0, await _ws.Db(db => db.Municipalities.CountAsync()));
    }

    [Fact]
    public async Task A_wrong_header_is_refused() =>
        Assert.StartsWith("gemeenten.csv:1:1: the header must be", (await ImportCsv("gemeente,naam\nGM0363,Amsterdam\n")).Problems[0].Message, StringComparison.Ordinal);

    [Fact]
    public async Task Panels_with_unknown_municipalities_or_duplicate_ids_are_refused_with_positions()
    {
        TestWorkspace.Ok(await ImportCsv("code,name,province,population\nGM0363,Amsterdam,Noord-Holland,931298\n"));
        var result = await ImportPanels("""
            panels:
              - id: p1
                domains: [participatie]
                members:
                  - municipality: GM9999
                    contacts: [{ name: A, email: a@x.example }]
              - id: p1
                members:
                  - municipality: GM0363
                    contacts: [{ name: B, email: geen-adres }]
            """);
        Assert.False(result.IsSuccess);
        var messages = result.Problems.Select(p => p.Message).ToList();
        Assert.Contains(messages, m => m.StartsWith("panels.yaml:5:23: unknown municipality 'GM9999'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("panels.yaml:7:9: panel id 'p1' appears twice", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'geen-adres' is not an e-mail address", StringComparison.Ordinal));
        Assert.Equal(0, await _ws.Db(db => db.Panels.CountAsync()));
    }

    [Fact]
    public async Task Malformed_panel_yaml_is_refused_with_a_position()
    {
        var result = await ImportPanels("panels:\n  - id: p1\n    members: [\n");
        Assert.Matches(@"^panels\.yaml:\d+:\d+: ", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public async Task Reimporting_a_panel_replaces_its_members()
    {
        await _ws.SeedAsync();
        TestWorkspace.Ok(await ImportPanels("""
            panels:
              - id: sociaal-domein
                name: Klein panel
                domains: [participatie]
                members:
                  - municipality: GM0363
                    contacts: [{ name: A, email: a@amsterdam.example }]
            """));
        Assert.Equal(1, await _ws.Db(db => db.PanelMembers.CountAsync()));
        Assert.Equal(1, await _ws.Db(db => db.Contacts.CountAsync()));
    }
}
