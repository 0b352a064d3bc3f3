namespace Wetstoets.Domain;

/// <summary>One contact's invitation to one round. The token itself is never stored, only its hash.</summary>
public sealed class Invitation
{
    public int Id { get; set; }
    public required string ReviewId { get; set; }
    public int Round { get; set; }
    public required string MunicipalityCode { get; set; }
    public int ContactId { get; set; }
    /// <summary>The contact as invited: reminders reach the same person even if the panel is imported again.</summary>
    public required string ContactName { get; set; }
    public required string ContactEmail { get; set; }
    /// <summary>Random salt from which, with the workspace key, the token is derived again for reminders.</summary>
    public required byte[] TokenSalt { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int RemindersSent { get; set; }
}
