using Gateway.Core.Identity;

namespace Gateway.Identity;

/// <summary>The failure certificate authentication reports for an agency certificate, naming its fault.</summary>
public sealed class CertificateRefusedException(CertificateFault fault)
    : Exception($"The client certificate is refused: {fault.ReasonCode()}.")
{
    public CertificateFault Fault { get; } = fault;
}
