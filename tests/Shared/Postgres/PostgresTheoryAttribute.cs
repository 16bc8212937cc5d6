using Xunit;

namespace Gateway.Tests.Shared.Postgres;

/// <summary>A theory that needs the private PostgreSQL server: skipped, with the reason, when none is configured.</summary>
internal sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = PostgresTestServer.SkipReasonFor(PostgresTestServer.ConnectionString);
}
