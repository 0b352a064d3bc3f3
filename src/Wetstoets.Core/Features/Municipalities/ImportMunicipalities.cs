using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;

namespace Wetstoets.Features.Municipalities;

public sealed record ImportedMunicipalities(int Added, int Updated);

/// <summary>
/// Imports the municipality register from CSV (<c>code,name,province,population</c>), as CBS and Dutch Excel
/// write it: comma or semicolon, with or without a byte-order mark. All rows or none.
/// </summary>
public sealed class ImportMunicipalities(WetstoetsDbContext db, TimeProvider clock)
{
    private static readonly string[] Header = ["code", "name", "province", "population"];

    public async Task<Result<ImportedMunicipalities>> ExecuteAsync(string path, string text, string actor, CancellationToken ct)
    {
        var (rows, problems) = Parse(path, text);
        if (problems.Count > 0)
        {
            return Result<ImportedMunicipalities>.Fail(problems.Select(p => p.ToProblem()));
        }
        var existing = await db.Municipalities.ToDictionaryAsync(m => m.Code, ct);
        int added = 0, updated = 0;
        foreach (var row in rows)
        {
            if (existing.TryGetValue(row.Code, out var municipality))
            {
                municipality.Name = row.Name;
                municipality.Province = row.Province;
                municipality.Population = row.Population;
                updated++;
            }
            else
            {
                db.Municipalities.Add(row);
                added++;
            }
        }
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "municipalities-imported", Subject = "municipalities", Details = $"{Path.GetFileName(path)}: {added} added, {updated} updated" });
        await db.SaveChangesAsync(ct);
        return Result<ImportedMunicipalities>.Ok(new ImportedMunicipalities(added, updated));
    }

    public static (List<Municipality> Rows, List<Diagnostic> Problems) Parse(string path, string text)
    {
        var rows = new List<Municipality>();
        var problems = new List<Diagnostic>();
        var lines = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var headerLine = lines.FirstOrDefault() ?? "";
        var separator = headerLine.Count(c => c == ';') > headerLine.Count(c => c == ',') ? ';' : ',';
        var header = Csv.Split(headerLine, separator).Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (!header.SequenceEqual(Header))
        {
            problems.Add(new Diagnostic(path, 1, 1, $"the header must be '{string.Join(separator, Header)}', not '{headerLine}'"));
            return (rows, problems);
        }
        for (var i = 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }
            var line = i + 1;
            var fields = Csv.Split(lines[i], separator);
            if (fields.Count != Header.Length)
            {
                problems.Add(new Diagnostic(path, line, 1, $"expected {Header.Length} fields, found {fields.Count}"));
                continue;
            }
            var code = fields[0].Trim().ToUpperInvariant();
            if (!Municipality.IsValidCode(code))
            {
                problems.Add(new Diagnostic(path, line, 1, $"'{fields[0]}' is not a CBS municipality code (GM followed by four digits)"));
            }
            if (string.IsNullOrWhiteSpace(fields[1]))
            {
                problems.Add(new Diagnostic(path, line, Csv.Column(lines[i], separator, 1), "the name is empty"));
            }
            var population = fields[3].Trim().Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            if (!int.TryParse(population, NumberStyles.None, CultureInfo.InvariantCulture, out var inhabitants))
            {
                problems.Add(new Diagnostic(path, line, Csv.Column(lines[i], separator, 3), $"population '{fields[3]}' is not a whole number"));
            }
            if (rows.Any(r => r.Code == code))
            {
                problems.Add(new Diagnostic(path, line, 1, $"{code} appears twice"));
            }
            rows.Add(new Municipality { Code = code, Name = fields[1].Trim(), Province = fields[2].Trim(), Population = inhabitants });
        }
        if (rows.Count == 0 && problems.Count == 0)
        {
            problems.Add(new Diagnostic(path, 2, 1, "the file has no municipalities"));
        }
        return (rows, problems);
    }
}
