using Microsoft.EntityFrameworkCore;
using Wetstoets.Common;
using Wetstoets.Domain;
using Wetstoets.Persistence;

namespace Wetstoets.Features.Panels;

public sealed record ImportedPanels(IReadOnlyList<string> PanelIds, int Members, int Contacts);

/// <summary>
/// Imports panels from YAML (SPEC.md §4). A panel with an existing id is replaced as a whole; rounds already
/// opened keep the municipalities they invited. All panels of the file or none.
/// </summary>
public sealed class ImportPanels(WetstoetsDbContext db, TimeProvider clock)
{
    public async Task<Result<ImportedPanels>> ExecuteAsync(string path, string text, string actor, CancellationToken ct)
    {
        var yaml = YamlFile.Parse(path, text);
        var panels = new List<Panel>();
        if (yaml.Root is { } root)
        {
            yaml.AllowOnly(root, "panels");
            var known = await db.Municipalities.Select(m => m.Code).ToListAsync(ct);
            foreach (var node in yaml.Mappings(root, "panels", required: true))
            {
                if (ReadPanel(yaml, node, known.ToHashSet()) is { } panel)
                {
                    if (panels.Any(p => p.Id == panel.Id))
                    {
                        yaml.Error(yaml.Child(node, "id"), $"panel id '{panel.Id}' appears twice");
                    }
                    panels.Add(panel);
                }
            }
        }
        if (yaml.HasErrors)
        {
            return Result<ImportedPanels>.Fail(yaml.Diagnostics.Select(d => d.ToProblem()));
        }
        var ids = panels.Select(p => p.Id).ToList();
        // Replacing a panel is two saves (remove, then add under the same key): one transaction keeps it all or none.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Panels.RemoveRange(await db.Panels.Where(p => ids.Contains(p.Id)).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        db.Panels.AddRange(panels);
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = actor, Action = "panels-imported", Subject = "panels", Details = string.Join(", ", ids) });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Result<ImportedPanels>.Ok(new ImportedPanels(ids, panels.Sum(p => p.Members.Count), panels.Sum(p => p.Members.Sum(m => m.Contacts.Count))));
    }

    private static Panel? ReadPanel(YamlFile yaml, YamlDotNet.RepresentationModel.YamlMappingNode node, HashSet<string> known)
    {
        yaml.AllowOnly(node, "id", "name", "domains", "members");
        var id = yaml.String(node, "id", required: true);
        var panel = new Panel { Id = id ?? "", Name = yaml.String(node, "name") ?? id ?? "", Domains = yaml.Strings(node, "domains") };
        foreach (var memberNode in yaml.Mappings(node, "members", required: true))
        {
            yaml.AllowOnly(memberNode, "municipality", "contacts", "maildomains");
            var code = yaml.String(memberNode, "municipality", required: true)?.ToUpperInvariant();
            if (code is null)
            {
                continue;
            }
            if (!known.Contains(code))
            {
                yaml.Error(yaml.Child(memberNode, "municipality"), $"unknown municipality '{code}' (import the register first with 'wetstoets municipalities import')");
            }
            if (panel.Members.Any(m => m.MunicipalityCode == code))
            {
                yaml.Error(memberNode, $"municipality {code} appears twice in panel '{id}'");
            }
            var member = new PanelMember { PanelId = panel.Id, MunicipalityCode = code, MailDomains = yaml.Strings(memberNode, "maildomains").Select(d => d.ToLowerInvariant()).ToList() };
            foreach (var contactNode in yaml.Mappings(memberNode, "contacts", required: true))
            {
                yaml.AllowOnly(contactNode, "name", "email");
                var name = yaml.String(contactNode, "name", required: true);
                var email = yaml.String(contactNode, "email", required: true);
                if (email is not null && !IsEmail(email))
                {
                    yaml.Error(yaml.Child(contactNode, "email"), $"'{email}' is not an e-mail address");
                }
                if (name is not null && email is not null)
                {
                    member.Contacts.Add(new Contact { Name = name, Email = email.Trim() });
                }
            }
            if (member.Contacts.Count == 0)
            {
                yaml.Error(memberNode, $"municipality {code} needs at least one contact");
            }
            panel.Members.Add(member);
        }
        return id is null ? null : panel;
    }

    private static bool IsEmail(string text) =>
        System.Net.Mail.MailAddress.TryCreate(text.Trim(), out var address) && address.Address == text.Trim();
}
