using System.ComponentModel.DataAnnotations;

namespace Wetstoets.Hosting;

public sealed class WebOptions
{
    public const string Section = "Web";

    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5180";
}

public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    [Required, RegularExpression("^(git|github)$", ErrorMessage = "Publishing:Target must be 'git' or 'github'")]
    public string Target { get; set; } = "git";
    public string? RepositoryPath { get; set; }
    [Required]
    public string BaseBranch { get; set; } = "main";
    [Required]
    public string AuthorName { get; set; } = "Wetstoets";
    [Required, EmailAddress]
    public string AuthorEmail { get; set; } = "wetstoets@localhost";
}

public sealed class StorageOptions
{
    public const string Section = "Storage";

    [Required, RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Storage:Provider must be 'sqlite' or 'postgres'")]
    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }
}

public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>How often a worker looks for triggers added by other processes (Quartz's idle wait, at least 1 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Worker:PollInterval must lie between 00:00:01 and 01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Microsoft 365 through Microsoft Graph (SPEC.md §5). Without a mailbox, mail goes to the outbox folder.</summary>
public sealed class M365Options
{
    public const string Section = "M365";

    public string? Mailbox { get; set; }
    [Required, Url]
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? CertificatePath { get; set; }
    /// <summary>A fixed bearer token instead of credentials: for tests and development only.</summary>
    public string? AccessToken { get; set; }
    [Url]
    public string? AuthorityHost { get; set; }
    [Range(1, 10_000, ErrorMessage = "M365:MaxMessagesPerMinute must lie between 1 and 10000")]
    public int MaxMessagesPerMinute { get; set; } = 30;
    [Required]
    public string InboxFolder { get; set; } = "inbox";
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "M365:SyncInterval must lie between 00:00:10 and 1.00:00:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>With <see cref="ResponseList"/>: the SharePoint site whose list is a second register of responses.</summary>
    public string? ResponseListSite { get; set; }
    public string? ResponseList { get; set; }
}
