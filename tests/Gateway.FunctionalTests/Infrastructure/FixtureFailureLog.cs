namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// Where a fixture's failure at cleanup is written as well as thrown: xUnit reports a class fixture that fails on
/// dispose as a cleanup failure whose message reaches neither the console of <c>dotnet test</c> nor the TRX file, so
/// CI (.ci/run sets <see cref="Variable"/>) prints this file instead.
/// </summary>
public static class FixtureFailureLog
{
    public const string Variable = "LIAISON_FIXTURE_FAILURES";

    private static readonly Lock Gate = new();

    public static void Record(string fixture, string message)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path)
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(path, $"== {DateTimeOffset.UtcNow:O} {fixture}{Environment.NewLine}{message}{Environment.NewLine}");
        }
    }
}
