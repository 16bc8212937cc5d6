using Google.Protobuf.WellKnownTypes;

namespace Gateway.Fuzz;

/// <summary>
/// Defects already found and being fixed elsewhere, which the fuzzer may be told to step over so that it explores past
/// them. Off by default: an unfixed known defect is still a crash.
/// </summary>
internal static class KnownDefects
{
    /// <summary>The command-line flag that skips <see cref="IsOutOfRangeTimestamp"/>.</summary>
    public const string SkipTimestampFlag = "--skip-known-timestamp-defect";

    /// <summary>
    /// Issue 15 defect 3: a google.protobuf.Timestamp outside 0001-01-01..9999-12-31 (or with nanos outside [0, 1e9))
    /// passes the schema and then throws when intake converts it to a date.
    /// </summary>
    public static bool IsOutOfRangeTimestamp(Exception exception) =>
        exception is InvalidOperationException
        && exception.Message.StartsWith("Timestamp contains invalid values", StringComparison.Ordinal)
        && exception.StackTrace?.Contains($"{typeof(Timestamp).FullName}.{nameof(Timestamp.ToDateTime)}", StringComparison.Ordinal) == true;
}
