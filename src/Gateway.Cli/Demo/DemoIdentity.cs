using Grpc.Core;
using Grpc.Net.Client;

namespace Gateway.Cli.Demo;

/// <summary>
/// How the demo's callers prove to the gateway who they are, and how the gateway and the PartnerSims are started to
/// check it: the development identity (headers, plaintext) or the production one (<see cref="ProductionDemoIdentity"/>).
/// The situations play the same either way; only the channels and the credentials sent on them differ.
/// </summary>
internal abstract class DemoIdentity : IDisposable
{
    /// <summary>The operator the demo's trace calls are made as, and so the name the audit gives them.</summary>
    public const string Operator = "demo";

    /// <summary>The demo's first line when the identity is not the default one; null for the development identity.</summary>
    public abstract string? Announcement { get; }

    /// <summary>http or https: what the gateway and the PartnerSims listen on.</summary>
    public abstract string Scheme { get; }

    /// <summary>The gateway's command line beyond its address, store and directory endpoints.</summary>
    public abstract IReadOnlyList<string> GatewayArguments { get; }

    /// <summary>The command line of <paramref name="agency"/>'s PartnerSim beyond its agency, data and address.</summary>
    public abstract IReadOnlyList<string> PartnerSimArguments(string agency);

    /// <summary>A channel to the gateway at <paramref name="address"/> for <paramref name="agency"/>, or for the operator when null.</summary>
    public abstract GrpcChannel OpenChannel(string address, string? agency);

    /// <summary>What an agency's calls carry to say who calls.</summary>
    public abstract Metadata AgencyCredentials(string agency);

    /// <summary>What the operator's calls carry to say who calls.</summary>
    public abstract Metadata OperatorCredentials { get; }

    public virtual void Dispose()
    {
    }
}

/// <summary>
/// The development identity: plaintext on loopback, agencies named by the <c>x-liaison-agency</c> header and the operator
/// by <c>x-liaison-operator</c>, both believed by the gateway. Mutual TLS and operator tokens replace them in production.
/// </summary>
internal sealed class DevelopmentDemoIdentity : DemoIdentity
{
    public override string? Announcement => null;

    public override string Scheme => Uri.UriSchemeHttp;

    public override IReadOnlyList<string> GatewayArguments => [];

    public override IReadOnlyList<string> PartnerSimArguments(string agency) => [];

    public override GrpcChannel OpenChannel(string address, string? agency) => GrpcChannel.ForAddress(address);

    public override Metadata AgencyCredentials(string agency) => new() { { CliContext.AgencyHeader, agency } };

    public override Metadata OperatorCredentials => new() { { CliContext.OperatorHeader, Operator } };
}
