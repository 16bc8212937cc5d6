using System.Security.Cryptography.X509Certificates;

namespace Gateway.Core.Identity;

/// <summary>Why an agency's client certificate does not identify it; each fault is its own refusal reason.</summary>
public enum CertificateFault
{
    /// <summary>The connection presented no client certificate.</summary>
    Missing,

    /// <summary>No configured trust anchor vouches for the certificate (self-signed, another CA, a broken signature).</summary>
    Untrusted,

    Expired,

    NotYetValid,

    /// <summary>A configured revocation list of the anchor that issued it lists its serial number.</summary>
    Revoked,

    /// <summary>The certificate is not for TLS client authentication.</summary>
    Usage,

    /// <summary>Valid, but not the certificate any one agency of the directory registered.</summary>
    Unregistered,
}

/// <summary>The rules that turn what certificate validation found into a <see cref="CertificateFault"/>.</summary>
public static class CertificateFaults
{
    private const X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid;

    private const X509ChainStatusFlags UsageFlags = X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension;

    /// <summary>The machine-readable reason code of the refusal, as the ErrorInfo and the audit entry carry it.</summary>
    public static string ReasonCode(this CertificateFault fault) => fault switch
    {
        CertificateFault.Missing => "certificate_missing",
        CertificateFault.Untrusted => "certificate_untrusted",
        CertificateFault.Expired => "certificate_expired",
        CertificateFault.NotYetValid => "certificate_not_yet_valid",
        CertificateFault.Revoked => "certificate_revoked",
        CertificateFault.Usage => "certificate_usage",
        CertificateFault.Unregistered => "certificate_unregistered",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };

    /// <summary>
    /// The fault of a chain that did not validate. A certificate no anchor vouches for is untrusted whatever else is
    /// wrong with it (what it says about its own dates and usage is only its own word); then come its dates, then its
    /// usage. Any status this does not know is untrusted: validation failed, and refusing is the safe reading.
    /// </summary>
    public static CertificateFault FromChain(X509ChainStatusFlags flags, DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now)
    {
        var known = TimeFlags | UsageFlags;
        if ((flags & ~known) != X509ChainStatusFlags.NoError || flags == X509ChainStatusFlags.NoError)
        {
            return CertificateFault.Untrusted;
        }

        if ((flags & TimeFlags) != 0)
        {
            // The leaf's own dates when they are at fault; else an issuer of the chain has expired, which is expiry too.
            return now < notBefore ? CertificateFault.NotYetValid : CertificateFault.Expired;
        }

        return CertificateFault.Usage;
    }
}
