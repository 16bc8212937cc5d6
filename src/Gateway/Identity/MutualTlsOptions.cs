namespace Gateway.Identity;

/// <summary>
/// The certificates of agency identity in <see cref="IdentityOptions.MutualTlsMode"/> (section <c>Gateway:Identity</c>).
/// Paths are PEM files (a CRL may be DER), relative to the content root; each is watched and re-read when it changes.
/// </summary>
public sealed class MutualTlsOptions
{
    /// <summary>The gateway's server certificate and its private key.</summary>
    public PemCertificatePaths ServerCertificate { get; set; } = new();

    /// <summary>CA certificates an agency's client certificate must be issued by: the only trust store consulted.</summary>
    public List<string> AgencyTrustAnchors { get; set; } = [];

    /// <summary>CRL files the operator maintains, each signed by one of <see cref="AgencyTrustAnchors"/>.</summary>
    public List<string> RevocationLists { get; set; } = [];
}

/// <summary>A certificate (PEM) and its private key (PEM: PKCS#8, or the key type's own form).</summary>
public sealed class PemCertificatePaths
{
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }
}
