using System.Text;
using Microsoft.EntityFrameworkCore;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MimeKit;
using Wetstoets.Integration.Tests.Support;

namespace Wetstoets.Integration.Tests.Mail;

/// <summary>On SQLite.</summary>
public sealed class SqliteOutboxTests() : OutboxTests("sqlite");

/// <summary>On a real PostgreSQL server.</summary>
public sealed class PostgresOutboxTests() : OutboxTests("postgres");

/// <summary>Invitations without Microsoft 365: standard .eml files in the workspace's outbox.</summary>
public abstract class OutboxTests(string provider) : IAsyncLifetime
{
    private TestWorkspace _ws = null!;
    private string _review = null!;

    public async Task InitializeAsync()
    {
        _ws = await TestWorkspace.CreateAsync(new Dictionary<string, string?> { ["Web:PublicBaseUrl"] = "https://wetstoets.example.nl/" }, provider);
        await _ws.SeedAsync();
        _review = await _ws.StartAsync();
    }

    public async Task DisposeAsync() => await _ws.DisposeAsync();

    private string Eml(string code, int n) => Path.Combine(_ws.Workspace.OutboxDirectory, _review, "1", $"{code}-{n}.eml");

    [Fact]
    public async Task The_invitation_is_a_standard_mail_with_the_tag_the_link_and_the_deadline()
    {
        var message = await MimeMessage.LoadAsync(Eml("GM0363", 1));
        Assert.EndsWith($"[{_review}/GM0363]", message.Subject, StringComparison.Ordinal);
        Assert.Equal("a.devries@amsterdam.example", Assert.Single(message.To.Mailboxes).Address);
        Assert.NotNull(message.HtmlBody);
        var text = message.TextBody;
        Assert.Contains("Amsterdam", text, StringComparison.Ordinal);
        Assert.Contains("https://wetstoets.example.nl/t/", text, StringComparison.Ordinal);
        var deadline = await _ws.Db(db => db.Rounds.Select(r => r.Deadline).SingleAsync());
        Assert.Contains(Wetstoets.Reports.DutchFunctions.Deadline(deadline), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mail_carries_the_questionnaire_workbook_for_that_review_municipality_and_round()
    {
        var message = await MimeMessage.LoadAsync(Eml("GM0363", 1));
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal($"vragenlijst-{_review}-GM0363.xlsx", attachment.FileName);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", attachment.ContentType.MimeType);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        content.Position = 0;
        using var workbook = SpreadsheetDocument.Open(content, isEditable: false);
        var meta = workbook.WorkbookPart!.WorksheetParts.Select(p => p.Worksheet.Descendants<Cell>().Select(c => c.InnerText).ToList())
            .Single(cells => cells.Contains("gemeente"));
        Assert.Equal(["review", _review, "gemeente", "GM0363", "ronde", "1"], meta);
    }

    [Fact]
    public async Task The_text_part_is_8bit_UTF_8_so_the_link_stands_intact_in_the_file()
    {
        var raw = await File.ReadAllTextAsync(Eml("GM0363", 1), Encoding.UTF8);
        Assert.Contains("Content-Type: text/plain; charset=utf-8", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Transfer-Encoding: 8bit", raw, StringComparison.Ordinal);
        var link = raw.Split('\n').Single(l => l.StartsWith("https://wetstoets.example.nl/t/", StringComparison.Ordinal)).TrimEnd('\r');
        var token = link["https://wetstoets.example.nl/t/".Length..];
        // 256 bits, base64url: at least the 128 random bits the contract asks for.
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        // Only the token's hash is stored.
        var hashes = await _ws.Db(db => db.Invitations.Select(i => i.TokenHash).ToListAsync());
        Assert.Contains(Wetstoets.Security.TokenService.Hash(token), hashes);
        Assert.DoesNotContain(token, hashes);
        Assert.Empty(await _ws.Db(db => db.OutgoingMails.Where(m => m.TextBody != null && m.TextBody.Contains(token)).ToListAsync()));
    }

    [Fact]
    public async Task Every_contact_gets_their_own_link()
    {
        var links = Directory.GetFiles(Path.Combine(_ws.Workspace.OutboxDirectory, _review, "1"), "*.eml")
            .Select(f => MimeMessage.Load(f).TextBody!.Split('\n').Single(l => l.StartsWith("https://", StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(links.Count, links.Distinct().Count());
        Assert.Equal(await _ws.Db(db => db.Invitations.CountAsync()), links.Count);
    }
}
