namespace Gateway.Tests.Shared.Postgres;

/// <summary>
/// Where the PostgreSQL tests find their server: a private one whose connection string is in
/// <c>LIAISON_TEST_POSTGRES</c> (<c>scripts/postgres-dev.sh start</c> prints it; <c>.ci/run</c> starts one and sets it).
/// Without it those tests are skipped with <see cref="SkipReason"/>; with it they run, and fail if it cannot be reached.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = "LIAISON_TEST_POSTGRES";

    public const string SkipReason =
        "PostgreSQL tests need LIAISON_TEST_POSTGRES (a connection string to a private server): `scripts/postgres-dev.sh start` prints it; CI sets it";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : null;

    /// <summary>Why a PostgreSQL test cannot run with this connection string, or null when it can.</summary>
    public static string? SkipReasonFor(string? connectionString) => string.IsNullOrWhiteSpace(connectionString) ? SkipReason : null;
}
