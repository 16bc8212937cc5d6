using Gateway.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>HTTPS endpoints in mutual TLS mode: the current server certificate, and client certificates asked for.</summary>
public sealed class MutualTlsKestrelSetup(ServerCertificateSource certificates) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options) => options.ConfigureHttpsDefaults(https =>
    {
        // Asked at every handshake, so that a replaced certificate serves the next connection.
        https.ServerCertificateSelector = (_, _) => certificates.Current;

        // Allowed, not required: operators call without one (their bearer token identifies them). And accepted whatever
        // it is: certificate authentication checks it per call, so that each fault is its own audited refusal instead
        // of a handshake failure no audit sees.
        https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
        https.AllowAnyClientCertificate();
    });
}
