using System.Reflection;
using Gateway.Contracts.Validation;
using Gateway.Core.Audit;
using Gateway.Tests.Shared;

namespace Gateway.Storage.Sqlite.Tests;

/// <summary>
/// Only the host pulls in ASP.NET Core: the contracts, Core and the store run on the plain .NET runtime, so that
/// gatewayctl, a second store or a batch tool do not need the ASP.NET Core shared framework.
/// </summary>
public sealed class PlainRuntimeTests
{
    [Fact]
    public void Contracts_core_and_store_reference_no_ASP_NET_Core_assembly()
    {
        var roots = new[] { typeof(SchemaValidator).Assembly, typeof(AuditChain).Assembly, typeof(SqliteMessageStore).Assembly };
        var offending = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>(roots);
        while (pending.TryDequeue(out var assembly))
        {
            if (!seen.Add(assembly.GetName().Name!))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (IsAspNetCore(reference.Name!))
                {
                    offending.Add($"{assembly.GetName().Name} -> {reference.Name}");
                }
                else if (reference.Name!.StartsWith("Gateway.", StringComparison.Ordinal))
                {
                    pending.Enqueue(Assembly.Load(reference));
                }
            }
        }

        Assert.Contains("Gateway.Contracts", seen);
        Assert.Empty(offending);
    }

    /// <summary>
    /// A package reference drags its framework reference in even when no type of it is used, which assembly
    /// references do not show: this project references only the store (hence Core and the contracts), so its
    /// runtime configuration names every shared framework they need.
    /// </summary>
    [Fact]
    public void Store_core_and_contracts_need_only_the_plain_runtime()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Gateway.Storage.Sqlite.Tests.runtimeconfig.json");

        Assert.Equal(["Microsoft.NETCore.App"], RuntimeConfig.Frameworks(path));
    }

    private static bool IsAspNetCore(string name) =>
        name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) || name.StartsWith("Grpc.AspNetCore.", StringComparison.Ordinal);
}
