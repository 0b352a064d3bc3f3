using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wetstoets.Domain;

namespace Wetstoets.Persistence;

/// <summary>
/// The provider-neutral model. Each provider subclasses it (Wetstoets.Storage) with its own migrations;
/// nothing here assumes SQLite or PostgreSQL.
/// </summary>
public abstract class WetstoetsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Municipality> Municipalities => Set<Municipality>();
    public DbSet<Panel> Panels => Set<Panel>();
    public DbSet<PanelMember> PanelMembers => Set<PanelMember>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Draft> Drafts => Set<Draft>();
    public DbSet<Review> Reviews => Set<Review>();
    public DbSet<Round> Rounds => Set<Round>();
    public DbSet<RoundParticipant> Participants => Set<RoundParticipant>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Response> Responses => Set<Response>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<ReportVersion> ReportVersions => Set<ReportVersion>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<ReviewTimer> Timers => Set<ReviewTimer>();
    public DbSet<OutgoingMail> OutgoingMails => Set<OutgoingMail>();
    public DbSet<StepRecord> History => Set<StepRecord>();
    public DbSet<DefinitionSnapshot> Definitions => Set<DefinitionSnapshot>();
    public DbSet<InboundReply> InboundReplies => Set<InboundReply>();
    public DbSet<MailboxCursor> MailboxCursors => Set<MailboxCursor>();
    public DbSet<PanelMeeting> PanelMeetings => Set<PanelMeeting>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Municipality>(e =>
        {
            e.HasKey(m => m.Code);
            e.Ignore(m => m.SizeClass);
        });
        b.Entity<Panel>(e =>
        {
            e.HasKey(p => p.Id);
            e.Property(p => p.Domains).AsJson();
            e.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.PanelId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<PanelMember>(e =>
        {
            e.Property(m => m.MailDomains).AsJson();
            e.HasIndex(m => new { m.PanelId, m.MunicipalityCode }).IsUnique();
            e.HasMany(m => m.Contacts).WithOne().HasForeignKey(c => c.PanelMemberId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Draft>(e =>
        {
            e.HasIndex(d => new { d.ReviewId, d.Version }).IsUnique();
            e.Property(d => d.Domains).AsJson();
            e.Property(d => d.Panels).AsJson();
            e.Property(d => d.Changes).AsJson();
            e.Property(d => d.Assumptions).AsJson();
        });
        b.Entity<Review>(e =>
        {
            e.HasKey(r => r.Id);
            e.Property(r => r.State).HasConversion<string>();
            e.Property(r => r.Panels).AsJson();
            e.Property(r => r.Warnings).AsJson();
            e.Property(r => r.Revision).IsConcurrencyToken();
        });
        b.Entity<Round>().HasIndex(r => new { r.ReviewId, r.Number }).IsUnique();
        b.Entity<RoundParticipant>().HasIndex(p => new { p.ReviewId, p.Round, p.MunicipalityCode }).IsUnique();
        b.Entity<Invitation>(e =>
        {
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => new { i.ReviewId, i.Round, i.ContactId }).IsUnique();
        });
        b.Entity<Response>(e =>
        {
            e.HasIndex(r => new { r.ReviewId, r.Round, r.MunicipalityCode, r.Revision }).IsUnique();
            e.Property(r => r.Answers).AsJson();
            e.Property(r => r.Comments).AsJson();
            e.Property(r => r.Notes).AsJson();
        });
        b.Entity<Assessment>().HasIndex(a => new { a.ReviewId, a.Round }).IsUnique();
        b.Entity<ReportVersion>().HasIndex(v => new { v.ReviewId, v.Version }).IsUnique();
        b.Entity<ReportVersion>().HasIndex(v => v.PublicationNumber).IsUnique();
        b.Entity<AuditEntry>().HasIndex(a => a.Subject);
        b.Entity<ReviewTimer>().HasIndex(t => new { t.ReviewId, t.FiredAt });
        // Timer slots are whole seconds: the timers of a slot are found by their due moment.
        b.Entity<ReviewTimer>().HasIndex(t => t.DueAt);
        b.Entity<OutgoingMail>(e =>
        {
            e.HasIndex(m => m.SentAt);
            e.HasIndex(m => new { m.ReviewId, m.Round, m.MunicipalityCode, m.Sequence }).IsUnique();
        });
        b.Entity<StepRecord>().HasIndex(s => s.ReviewId);
        b.Entity<DefinitionSnapshot>().HasKey(d => new { d.WorkflowId, d.Version });
        b.Entity<InboundReply>(e =>
        {
            e.HasIndex(r => r.MessageId).IsUnique();
            e.HasIndex(r => new { r.ReviewId, r.Outcome });
        });
        b.Entity<MailboxCursor>().HasKey(c => c.Key);
        b.Entity<PanelMeeting>().HasIndex(m => new { m.ReviewId, m.Round }).IsUnique();
    }
}

internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Stores a small collection as one JSON text column: it is always read and written whole.</summary>
    public static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property) where T : class, new()
    {
        var comparer = new ValueComparer<T>(
            (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!);
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            s => JsonSerializer.Deserialize<T>(s, Options) ?? new T(),
            comparer);
        return property;
    }
}
