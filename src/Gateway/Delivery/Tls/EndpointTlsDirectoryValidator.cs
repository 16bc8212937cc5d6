using Gateway.Core.Agencies;

namespace Gateway.Delivery.Tls;

/// <summary>
/// In MutualTls mode every endpoint is called over TLS and checked against the certificate its agency registers: the
/// directory (at start-up and on every edit) may hold neither an http:// endpoint nor an https one without a readable
/// <c>EndpointCertificate</c>. Registered only in that mode; Development keeps http:// endpoints.
/// </summary>
public sealed class EndpointTlsDirectoryValidator(IHostEnvironment environment) : IDirectoryValidator
{
    public IEnumerable<string> Validate(DirectoryOptions directory)
    {
        foreach (var agency in directory.Agencies.Where(a => !string.IsNullOrEmpty(a.Endpoint)))
        {
            if (!Uri.TryCreate(agency.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
            {
                yield return $"Agency '{agency.Id}': Endpoint must be https:// in MutualTls mode (the gateway calls endpoints over mutual TLS only).";
            }
            else if (string.IsNullOrEmpty(agency.EndpointCertificate))
            {
                yield return $"Agency '{agency.Id}': EndpointCertificate is required in MutualTls mode: the PEM file of the server certificate its endpoint presents.";
            }
            else if (RegisteredCertificate.Read(agency.Id, EndpointTlsFiles.Resolve(environment, agency.EndpointCertificate)) is { Unreadable: { } problem })
            {
                yield return $"Agency '{agency.Id}': EndpointCertificate '{agency.EndpointCertificate}' cannot be read as a PEM certificate: {problem}";
            }
        }
    }
}
