using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Gateway.Delivery.Tls;

/// <summary>
/// Refuses at start-up what would make every https delivery fail: a client certificate without its key (or the other
/// way round), files that do not read as PEM certificates and keys, and in MutualTls mode a gateway without a client
/// certificate or trust anchors. Each failure names its setting.
/// </summary>
public sealed class EndpointTlsOptionsValidator(IHostEnvironment environment, bool mutualTls) : IValidateOptions<EndpointTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, EndpointTlsOptions options)
    {
        var failures = new List<string>();
        var client = $"{EndpointTlsOptions.Section}:{nameof(EndpointTlsOptions.ClientCertificate)}";
        var (certificatePath, keyPath) = (options.ClientCertificate?.CertificatePath, options.ClientCertificate?.KeyPath);
        if (string.IsNullOrEmpty(certificatePath) != string.IsNullOrEmpty(keyPath))
        {
            failures.Add($"{client}: set both CertificatePath and KeyPath (PEM files), or neither.");
        }
        else if (!string.IsNullOrEmpty(certificatePath) && Unreadable(() => X509Certificate2.CreateFromPemFile(EndpointTlsFiles.Resolve(environment, certificatePath), EndpointTlsFiles.Resolve(environment, keyPath!))) is { } problem)
        {
            failures.Add($"{client}: '{certificatePath}' with key '{keyPath}' cannot be read as a PEM certificate and its private key: {problem}");
        }
        else if (mutualTls && string.IsNullOrEmpty(certificatePath))
        {
            failures.Add($"{client}: in MutualTls mode the gateway presents its own client certificate to endpoints; set CertificatePath and KeyPath.");
        }

        var (anchors, setting) = options.TrustAnchors;
        foreach (var path in anchors)
        {
            var read = new X509Certificate2Collection();
            if (Unreadable(() => read.ImportFromPemFile(EndpointTlsFiles.Resolve(environment, path))) is { } problem)
            {
                failures.Add($"{setting}: '{path}' cannot be read: {problem}");
            }
            else if (read.Count == 0)
            {
                failures.Add($"{setting}: '{path}' holds no PEM certificate.");
            }
        }

        if (mutualTls && anchors.Count == 0)
        {
            failures.Add($"{EndpointTlsOptions.Section}:EndpointTrustAnchors: in MutualTls mode endpoint certificates must chain to configured CAs; set it or AgencyTrustAnchors.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? Unreadable(Action read)
    {
        try
        {
            read();
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return error.Message;
        }
    }
}
