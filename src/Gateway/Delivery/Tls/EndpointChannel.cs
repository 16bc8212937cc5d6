using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Gateway.Hosting;
using Grpc.Net.Client;
using Interagency.V1;

namespace Gateway.Delivery.Tls;

/// <summary>
/// One endpoint's channel, made with one set of TLS files (<see cref="Stamps"/>): every handshake on it presents that
/// client certificate and checks the endpoint's certificate against those anchors and registered certificates. When a
/// file changes, <see cref="EndpointClients"/> makes a new channel rather than changing this one, because HTTP/2 keeps
/// a connection for as long as it lives: only a new handler is sure to handshake again.
/// </summary>
internal sealed class EndpointChannel : IDisposable
{
    private readonly Uri _endpoint;
    private readonly EndpointTlsMaterial? _material;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _logged = new();
    private string? _refusal;
    private string? _loggedRefusal;

    public EndpointChannel(Uri endpoint, EndpointTlsMaterial? material, FileStamp[] stamps, TimeProvider time, ILogger logger)
    {
        _endpoint = endpoint;
        _material = material;
        _time = time;
        _logger = logger;
        Stamps = stamps;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        if (material is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificateContext = material.ClientCertificate,
                RemoteCertificateValidationCallback = Validate,
            };
        }

        Channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { HttpHandler = handler });
        Client = new AgencyEndpointService.AgencyEndpointServiceClient(Channel);
    }

    public GrpcChannel Channel { get; }

    public AgencyEndpointService.AgencyEndpointServiceClient Client { get; }

    /// <summary>The files this channel was made with; empty for a plaintext endpoint.</summary>
    public FileStamp[] Stamps { get; }

    /// <summary>Files found changed but unreadable; the channel stays in use until they change again.</summary>
    public FileStamp[]? UnreadableStamps { get; set; }

    /// <summary>When the files are next compared with <see cref="Stamps"/> (<see cref="Environment.TickCount64"/>).</summary>
    public long NextCheck { get; set; }

    /// <summary>Why the last handshake refused the endpoint's certificate; null once one accepted it.</summary>
    public string? Refusal => Volatile.Read(ref _refusal);

    public void Dispose() => Channel.Dispose();

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // SslStream puts the certificates the endpoint sent after its own in the chain's extra store.
        var problem = certificate is X509Certificate2 presented
            ? EndpointCertificateCheck.Problem(presented, chain?.ChainPolicy.ExtraStore ?? [], errors, _material!, _time.GetUtcNow())
            : "was not presented";
        Volatile.Write(ref _refusal, problem);

        // Logged once per channel and problem, not per attempt: a retrying delivery would repeat it every back-off.
        lock (_logged)
        {
            if (problem != _loggedRefusal)
            {
                if (problem is not null)
                {
                    EndpointTlsLog.CertificateRefused(_logger, _endpoint, problem);
                }
                else if (_loggedRefusal is not null)
                {
                    EndpointTlsLog.CertificateAccepted(_logger, _endpoint);
                }

                _loggedRefusal = problem;
            }
        }

        return problem is null;
    }
}
