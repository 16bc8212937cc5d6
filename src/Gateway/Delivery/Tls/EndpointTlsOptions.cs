namespace Gateway.Delivery.Tls;

/// <summary>
/// What the gateway needs to call endpoints over TLS, bound from section <c>Gateway:Identity</c> (which holds the inbound
/// identity settings too; binding reads only these keys). Configured independently of <c>Mode</c>, so that a gateway in
/// Development mode can call https endpoints the way production does. Relative paths resolve against the content root.
/// </summary>
public sealed class EndpointTlsOptions
{
    public const string Section = "Gateway:Identity";

    /// <summary>The mode in which every endpoint must be https with a registered certificate.</summary>
    public const string MutualTlsMode = "MutualTls";

    /// <summary>The gateway's own client certificate, presented to every https endpoint; none presented when unset.</summary>
    public PemCertificateFiles? ClientCertificate { get; set; }

    /// <summary>CA certificates (PEM) endpoint server certificates must chain to; empty means <see cref="AgencyTrustAnchors"/>.</summary>
    public List<string> EndpointTrustAnchors { get; set; } = [];

    /// <summary>CA certificates (PEM) agency client certificates chain to; the fallback for <see cref="EndpointTrustAnchors"/>.</summary>
    public List<string> AgencyTrustAnchors { get; set; } = [];

    /// <summary>The trust anchors in effect, and the setting they come from (for messages).</summary>
    public (IReadOnlyList<string> Paths, string Setting) TrustAnchors =>
        EndpointTrustAnchors.Count > 0
            ? (EndpointTrustAnchors, $"{Section}:{nameof(EndpointTrustAnchors)}")
            : (AgencyTrustAnchors, $"{Section}:{nameof(AgencyTrustAnchors)}");

    /// <summary>Whether <paramref name="configuration"/> sets the identity mode to mutual TLS.</summary>
    public static bool IsMutualTls(IConfiguration configuration) =>
        string.Equals(configuration[$"{Section}:Mode"], MutualTlsMode, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A certificate and its private key, each a PEM file.</summary>
public sealed class PemCertificateFiles
{
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }
}
