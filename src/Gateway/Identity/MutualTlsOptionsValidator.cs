using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Gateway.Identity;

/// <summary>
/// Checks, before the gateway serves, that every certificate file of mutual TLS reads as what it must be, naming the
/// setting of each that does not: a gateway that started without them would refuse every agency.
/// </summary>
public sealed class MutualTlsOptionsValidator(IHostEnvironment environment) : IValidateOptions<MutualTlsOptions>
{
    private const string Section = IdentityOptions.Section;

    public ValidateOptionsResult Validate(string? name, MutualTlsOptions options)
    {
        var failures = new List<string>();
        var server = options.ServerCertificate;
        if (string.IsNullOrWhiteSpace(server.CertificatePath) || string.IsNullOrWhiteSpace(server.KeyPath))
        {
            failures.Add($"{Section}:ServerCertificate:CertificatePath and :KeyPath are required in {IdentityOptions.MutualTlsMode} mode: the gateway's PEM certificate and private key.");
        }
        else
        {
            Check(failures, $"{Section}:ServerCertificate", () => TrustFiles.LoadServerCertificate(Resolve(server.CertificatePath), Resolve(server.KeyPath)).Dispose());
        }

        if (options.AgencyTrustAnchors.Count == 0)
        {
            failures.Add($"{Section}:AgencyTrustAnchors is empty; in {IdentityOptions.MutualTlsMode} mode give the CA certificates agency client certificates are issued by.");
        }

        var anchors = new List<X509Certificate2>();
        for (var i = 0; i < options.AgencyTrustAnchors.Count; i++)
        {
            var path = Resolve(options.AgencyTrustAnchors[i]);
            Check(failures, $"{Section}:AgencyTrustAnchors:{i} ({path})", () => anchors.AddRange(TrustFiles.LoadAnchors(path)));
        }

        for (var i = 0; i < options.RevocationLists.Count; i++)
        {
            var path = Resolve(options.RevocationLists[i]);
            Check(failures, $"{Section}:RevocationLists:{i} ({path})", () => TrustFiles.LoadRevocationList(path, anchors));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Resolve(string path) => Path.GetFullPath(path, environment.ContentRootPath);

    private static void Check(List<string> failures, string setting, Action read)
    {
        try
        {
            read();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            failures.Add($"{setting} cannot be used: {error.Message.TrimEnd('.')}.");
        }
    }
}
