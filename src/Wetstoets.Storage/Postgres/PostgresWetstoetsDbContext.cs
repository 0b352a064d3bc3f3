using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Wetstoets.Persistence;

namespace Wetstoets.Storage.Postgres;

/// <summary>The PostgreSQL flavour of the model, with its own migrations. Moments are <c>timestamptz</c> in UTC.</summary>
public sealed class PostgresWetstoetsDbContext(DbContextOptions<PostgresWetstoetsDbContext> options) : WetstoetsDbContext(options);

/// <summary>Used by <c>dotnet ef migrations add</c> only (no connection is opened).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresWetstoetsDbContext>
{
    public PostgresWetstoetsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresWetstoetsDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
