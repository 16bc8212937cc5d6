using EvolveDb;
using EvolveDb.Dialect;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Storage.Postgres.Internal;

/// <summary>
/// Brings the database's schema to this binary's version with Evolve, from the scripts embedded under <c>Migrations/</c>
/// (<c>V1__...sql</c> and on). Evolve records what it ran in <c>schema_history</c>, checks the scripts it ran before
/// against their checksums, and holds an advisory lock while it migrates, so that two instances starting together
/// migrate once.
/// </summary>
internal static class SchemaMigrations
{
    public static void Migrate(NpgsqlConnection connection, ILogger logger)
    {
        var evolve = new Evolve(connection, message => PostgresStoreLog.Migration(logger, message), DBMS.PostgreSQL)
        {
            EmbeddedResourceAssemblies = [typeof(SchemaMigrations).Assembly],
            EmbeddedResourceFilters = ["Gateway.Storage.Postgres.Migrations."],
            MetadataTableName = "schema_history",

            // Erasing would drop every table: the audit log among them.
            IsEraseDisabled = true,
        };
        evolve.Migrate();
    }
}
