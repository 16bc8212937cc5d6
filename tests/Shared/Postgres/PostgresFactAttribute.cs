using Xunit;

namespace Gateway.Tests.Shared.Postgres;

/// <summary>A test that needs the private PostgreSQL server: skipped, with the reason, when none is configured.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresTestServer.SkipReasonFor(PostgresTestServer.ConnectionString);
}
