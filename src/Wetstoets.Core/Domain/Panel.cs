namespace Wetstoets.Domain;

public sealed class Panel
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public List<string> Domains { get; set; } = [];
    public List<PanelMember> Members { get; set; } = [];
}

public sealed class PanelMember
{
    public int Id { get; set; }
    public required string PanelId { get; set; }
    public required string MunicipalityCode { get; set; }
    /// <summary>Mail domains of colleagues who may answer a forwarded invitation.</summary>
    public List<string> MailDomains { get; set; } = [];
    public List<Contact> Contacts { get; set; } = [];
}

/// <summary>A person at a municipality. Personal data: never written to a report.</summary>
public sealed class Contact
{
    public int Id { get; set; }
    public int PanelMemberId { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
}
