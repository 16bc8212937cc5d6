namespace Gateway.Core.Identity;

/// <summary>
/// A certificate serial number as one comparable text: upper-case hex without leading zero bytes. A certificate
/// carries its serial as DER (a leading 00 where the high bit is set), a CRL parser as a number: both must meet.
/// </summary>
public static class CertificateSerial
{
    public static string Normalize(ReadOnlySpan<byte> bigEndian)
    {
        var start = 0;
        while (start < bigEndian.Length - 1 && bigEndian[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(bigEndian[start..]);
    }

    public static string Normalize(string hex) => Normalize(Convert.FromHexString(hex.Length % 2 == 0 ? hex : "0" + hex));
}
