namespace Gateway.Cli.Demo;

/// <summary>What <c>gatewayctl demo</c> is told on its command line.</summary>
public sealed class DemoOptions
{
    /// <summary>Keep the demo's folder (the gateway's store, the PartnerSims' inboxes and logs) instead of removing it.</summary>
    public bool Keep { get; init; }

    /// <summary>
    /// Run in production mode: a test PKI and production.json as certs init makes them, in the demo's folder; agencies by
    /// mutual TLS, the operator by signed token.
    /// </summary>
    public bool Production { get; init; }

    /// <summary>The repository whose gateway and PartnerSim to run; by default the one gatewayctl was built in, or the current directory's.</summary>
    public string? Repository { get; init; }

    /// <summary>Where the demo writes what it does; the console by default.</summary>
    public TextWriter Output { get; init; } = Console.Out;
}
