using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>
/// Where the PostgreSQL half of the suite finds its server: a private one whose connection string (its role may create
/// databases) is in <c>LIAISON_TEST_POSTGRES</c>. Without it those tests are skipped with <see cref="SkipReason"/>.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "LIAISON_TEST_POSTGRES";

    public const string SkipReason = "PostgreSQL tests need LIAISON_TEST_POSTGRES, a connection string to a private server whose role may create databases";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : null;

    /// <summary>Why a test of <paramref name="testClass"/> cannot run here, or null when it can.</summary>
    public static string? SkipReasonFor(ITypeInfo testClass) =>
        (testClass as IReflectionTypeInfo)?.Type.GetCustomAttribute<RequiresPostgresAttribute>() is not null && ConnectionString is null ? SkipReason : null;
}

/// <summary>Marks a test class that runs against PostgreSQL: its <see cref="StoreFactAttribute"/> tests skip without a server.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;
