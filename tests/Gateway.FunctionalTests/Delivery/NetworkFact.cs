using System.Reflection;
using Gateway.Tests.Shared.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// Marks a test class whose gateways run on PostgreSQL: its <see cref="NetworkFactAttribute"/> tests skip, with the
/// reason, when no server is configured (<see cref="PostgresTestServer"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>
/// A test written once on an abstract class and run for each store's concrete class. <c>PostgresFact</c> cannot serve:
/// the attribute on the shared method cannot tell which class it runs in, so the discoverer asks that class.
/// </summary>
[XunitTestCaseDiscoverer("Gateway.FunctionalTests.Delivery.NetworkFactDiscoverer", "Gateway.FunctionalTests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetworkFactAttribute : FactAttribute;

public sealed class NetworkFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        SkipReasonFor(testMethod.TestClass.Class) is { } reason
            ? [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);

    private static string? SkipReasonFor(ITypeInfo testClass) =>
        (testClass as IReflectionTypeInfo)?.Type.GetCustomAttribute<RequiresPostgresAttribute>() is not null
            ? PostgresTestServer.SkipReasonFor(PostgresTestServer.ConnectionString)
            : null;
}
