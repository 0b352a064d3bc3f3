using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Wetstoets.Persistence;

namespace Wetstoets.Storage.Sqlite;

/// <summary>The SQLite flavour of the model, with its own migrations.</summary>
public sealed class SqliteWetstoetsDbContext(DbContextOptions<SqliteWetstoetsDbContext> options) : WetstoetsDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no time type: UTC ticks keep exact values, ordering and comparison in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

/// <summary>Every moment is stored as UTC ticks; the offset is not kept (all moments are UTC in Wetstoets).</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

/// <summary>Used by <c>dotnet ef migrations add</c> only.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SqliteWetstoetsDbContext>
{
    public SqliteWetstoetsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteWetstoetsDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
