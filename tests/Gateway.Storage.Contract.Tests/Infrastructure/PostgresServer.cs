using System.Reflection;
using Gateway.Tests.Shared.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>Which contract tests need the private PostgreSQL server (<see cref="PostgresTestServer"/>) and cannot run without it.</summary>
public static class PostgresServer
{
    /// <summary>Why a test of <paramref name="testClass"/> cannot run here, or null when it can.</summary>
    public static string? SkipReasonFor(ITypeInfo testClass) =>
        (testClass as IReflectionTypeInfo)?.Type.GetCustomAttribute<RequiresPostgresAttribute>() is not null
            ? PostgresTestServer.SkipReasonFor(PostgresTestServer.ConnectionString)
            : null;
}

/// <summary>
/// Marks a test class that runs against PostgreSQL: its <see cref="StoreFactAttribute"/> tests skip without a server.
/// The shared <c>PostgresFact</c> cannot serve here: a contract's tests are declared once, on the abstract class, for both stores.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;
