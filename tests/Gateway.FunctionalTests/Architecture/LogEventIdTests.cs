using System.Reflection;
using Gateway.Hosting;
using Gateway.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Architecture;

/// <summary>
/// An event id names one kind of log line, so that an alert on it means one thing: ids are unique across our
/// assemblies and each Log class keeps to its own block of a thousand (docs/log-event-ids.md).
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void No_two_log_messages_share_an_event_id()
    {
        var duplicates = LogMessages()
            .GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name))}")
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Each_log_class_keeps_to_its_own_block_of_ids()
    {
        var blocksByClass = LogMessages()
            .GroupBy(m => m.Class)
            .ToDictionary(g => g.Key, g => g.Select(m => m.EventId / 1000).Distinct().ToList());

        Assert.All(blocksByClass, c => Assert.True(c.Value.Count == 1, $"{c.Key} uses ids in blocks {string.Join(", ", c.Value)}"));
        var shared = blocksByClass.GroupBy(c => c.Value[0]).Where(g => g.Count() > 1).Select(g => string.Join(" and ", g.Select(c => c.Key)));
        Assert.Empty(shared);
    }

    [Fact]
    public void Every_assembly_that_logs_is_covered()
    {
        var classes = LogMessages().Select(m => m.Class).ToHashSet();

        Assert.Contains(classes, c => c.StartsWith("Gateway.Hosting.", StringComparison.Ordinal));
        Assert.Contains(classes, c => c.StartsWith("Gateway.Storage.Sqlite.", StringComparison.Ordinal));
        Assert.Contains(classes, c => c.StartsWith("Gateway.PartnerSim.", StringComparison.Ordinal));
    }

    private static List<(string Class, string Name, int EventId)> LogMessages() =>
        OurAssemblies()
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Method.DeclaringType!.FullName!, $"{m.Method.DeclaringType!.Name}.{m.Method.Name}", m.Attribute!.EventId))
            .ToList();

    /// <summary>The host and everything of ours it references, and PartnerSim, which runs as its own process.</summary>
    private static List<Assembly> OurAssemblies()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(GatewayHost).Assembly, Assembly.LoadFrom(ChildProcess.BuildOutputDll("Gateway.PartnerSim"))]);
        while (pending.TryDequeue(out var assembly))
        {
            if (found.TryAdd(assembly.GetName().Name!, assembly))
            {
                foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Gateway", StringComparison.Ordinal)))
                {
                    pending.Enqueue(Assembly.Load(reference));
                }
            }
        }

        return [.. found.Values];
    }
}
