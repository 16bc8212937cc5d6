namespace Gateway.Cli.Demo.Situations;

/// <summary>One situation of DESIGN.md section 1, played by the agencies it involves against the running gateway.</summary>
internal interface ISituation
{
    /// <summary>Its heading in the demo's output.</summary>
    string Title { get; }

    /// <summary>The agencies whose PartnerSims it needs.</summary>
    IReadOnlyList<string> Agencies { get; }

    /// <summary>
    /// Sends its messages, checking after each that it reached whom it should, and returns them in the order sent.
    /// Throws <see cref="DemoException"/> when the gateway did something else.
    /// </summary>
    Task<IReadOnlyList<SentMessage>> PlayAsync(DemoAgencies agencies, DemoNetwork network, TextWriter output, CancellationToken cancellationToken);
}
