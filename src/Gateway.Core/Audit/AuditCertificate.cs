namespace Gateway.Core.Audit;

/// <summary>
/// What could be read of a client certificate a call was refused for: its names, serial, SHA-256 thumbprint and
/// validity. The certificate's own text, never anything else of the call.
/// </summary>
public sealed record AuditCertificate(
    string Subject, string Issuer, string Serial, string Sha256, DateTimeOffset NotBefore, DateTimeOffset NotAfter);
