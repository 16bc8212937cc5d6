using System.Text.RegularExpressions;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// The refusal boundary is the only writer of refusal audit entries, checked on the source itself: a step that wrote one
/// of its own would be a second audit of the same refusal, or a refusal audited with other rules than the rest.
/// </summary>
public sealed partial class RefusalBoundaryScanTests
{
    /// <summary>The boundary's files: the only ones that may build a refusal's audit entry.</summary>
    private static readonly string[] Boundary = ["src/Gateway/Audit/RefusalBoundary.cs", "src/Gateway/Audit/RefusalBudget.cs"];

    /// <summary>Where the refusal entries are defined (kind, actor, details), in Core; defining one writes nothing.</summary>
    private static readonly string[] Definitions =
        ["src/Gateway.Core/Storage/RefusalRecord.cs", "src/Gateway.Core/Storage/SuppressedRefusals.cs", "src/Gateway.Core/Storage/OperatorCallRecord.cs"];

    /// <summary>Where refusal entries are read back (a message's trace), by kind; reading one writes nothing.</summary>
    private static readonly string[] Readers =
        ["src/Gateway.Core/Trace/TraceVisibility.cs", "src/Gateway.Storage.Sqlite/Internal/TraceQueries.cs", "src/Gateway.Storage.Postgres/Internal/TraceQueries.cs"];

    private static readonly Lazy<Dictionary<string, string>> Sources = new(ReadSources);

    [Fact]
    public void Only_the_refusal_boundary_builds_intake_refusal_and_suppressed_refusal_entries()
    {
        var writers = Sources.Value
            .Where(file => RefusalEntry().IsMatch(file.Value))
            .Select(file => file.Key)
            .Except(Boundary)
            .Except(Definitions)
            .Except(Readers);

        Assert.Empty(writers);
    }

    [Fact]
    public void Operator_call_entries_come_from_the_boundary_and_from_the_operator_check_for_calls_it_let_through_only()
    {
        var writers = Sources.Value.Where(file => file.Value.Contains("OperatorCallRecord", StringComparison.Ordinal)).Select(file => file.Key);

        Assert.Equal(
            ["src/Gateway.Core/Storage/OperatorCallRecord.cs", "src/Gateway/Audit/RefusalBoundary.cs", "src/Gateway/Operations/OperatorCallInterceptor.cs"],
            writers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_operator_check_never_audits_a_refused_call()
    {
        var interceptor = Sources.Value["src/Gateway/Operations/OperatorCallInterceptor.cs"];

        // Every entry it builds gives no reason, the mark of a refusal; and it leaves every call a step refused to the boundary.
        var reasons = ConstructorArguments(interceptor, "new OperatorCallRecord(").Select(arguments => arguments[3]).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.Equal("string.Empty", reason));
        Assert.Contains("when (!RefusalBoundary.IsRefused(context))", interceptor, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_in_the_gateway_decodes_a_status_it_answered_to_learn_what_happened()
    {
        var decoders = Sources.Value
            .Where(file => file.Key.StartsWith("src/Gateway/", StringComparison.Ordinal) && StatusDecoding().IsMatch(file.Value))
            .Select(file => file.Key);

        Assert.Empty(decoders);
    }

    /// <summary>Every C# file under src/, by its path from the repository root with forward slashes.</summary>
    private static Dictionary<string, string> ReadSources()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Gateway.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("Gateway.sln not found above the test's folder.");
        }

        var src = Path.Combine(root.FullName, "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root.FullName, path).Replace('\\', '/'))
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .ToDictionary(path => path, path => File.ReadAllText(Path.Combine(root.FullName, path)), StringComparer.Ordinal);
        Assert.Contains(Boundary[0], files.Keys);
        return files;
    }

    /// <summary>The arguments of each call of <paramref name="constructor"/> in <paramref name="source"/>, split at their top-level commas.</summary>
    private static IEnumerable<string[]> ConstructorArguments(string source, string constructor)
    {
        for (var start = source.IndexOf(constructor, StringComparison.Ordinal); start >= 0; start = source.IndexOf(constructor, start + 1, StringComparison.Ordinal))
        {
            var arguments = new List<string>();
            var depth = 0;
            var from = start + constructor.Length;
            for (var i = from; depth >= 0; i++)
            {
                switch (source[i])
                {
                    case '(' or '[':
                        depth++;
                        break;
                    case ')' or ']' when depth > 0:
                        depth--;
                        break;
                    case ')':
                        depth = -1;
                        arguments.Add(source[from..i].Trim());
                        break;
                    case ',' when depth == 0:
                        arguments.Add(source[from..i].Trim());
                        from = i + 1;
                        break;
                }
            }

            yield return [.. arguments];
        }
    }

    /// <summary>Anything that makes a refusal or suppressed-refusal entry: the record types that define them, or their kinds.</summary>
    [GeneratedRegex(@"\b(RefusalRecord|SuppressedRefusals|AuditKinds\.IntakeRefused|AuditKinds\.IntakeRefusalsSuppressed)\b")]
    private static partial Regex RefusalEntry();

    /// <summary>Reading a call's answered status back: its details header, or the status and details of an exception.</summary>
    [GeneratedRegex(@"grpc-status-details-bin|GetRpcStatus\(|GetDetail<|TryUnpack<ErrorInfo>|TryUnpack<BadRequest>")]
    private static partial Regex StatusDecoding();
}
