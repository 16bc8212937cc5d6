using Xunit;

namespace Gateway.Tests.Shared.Postgres;

/// <summary>A test that starts its own PostgreSQL server (<see cref="PrivatePostgresServer"/>): skipped, with the reason, when this machine has none.</summary>
internal sealed class PrivatePostgresFactAttribute : FactAttribute
{
    public PrivatePostgresFactAttribute() => Skip = PrivatePostgresServer.SkipReason;
}
