using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gateway.Storage.Contract.Tests.Infrastructure;

/// <summary>
/// A contract test: written once on an abstract class and run for each store's concrete class. A class marked
/// <see cref="RequiresPostgresAttribute"/> has its tests skipped, with the reason, when no server is configured; the
/// attribute on the shared method cannot say so itself, so the discoverer asks the class the test runs in.
/// </summary>
[XunitTestCaseDiscoverer("Gateway.Storage.Contract.Tests.Infrastructure.StoreFactDiscoverer", "Gateway.Storage.Contract.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A contract theory, skipped as <see cref="StoreFactAttribute"/> is.</summary>
[XunitTestCaseDiscoverer("Gateway.Storage.Contract.Tests.Infrastructure.StoreTheoryDiscoverer", "Gateway.Storage.Contract.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        PostgresServer.SkipReasonFor(testMethod.TestClass.Class) is { } reason
            ? [Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);

    internal static IXunitTestCase Skipped(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string reason) =>
        new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, reason);
}

public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        PostgresServer.SkipReasonFor(testMethod.TestClass.Class) is { } reason
            ? [StoreFactDiscoverer.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
