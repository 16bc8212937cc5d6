using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Interagency.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Cli.Certs;

/// <summary>
/// Kestrel on 127.0.0.1 with TLS that requires a client certificate chaining to the given CA, serving the health check
/// and ListAgencies, and recording which certificate and headers each call came with: what gatewayctl presents, seen
/// from the server's side of a real handshake. (The gateway's own MutualTls mode comes with its own tests.)
/// </summary>
internal sealed class MutualTlsTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MutualTlsTestHost(WebApplication app, CallLog calls)
    {
        _app = app;
        Calls = calls;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Address = $"https://127.0.0.1:{address.Port}";
    }

    public string Address { get; }

    public CallLog Calls { get; }

    public static async Task<MutualTlsTestHost> StartAsync(X509Certificate2 serverCertificate, X509Certificate2 clientAuthority)
    {
        var calls = new CallLog();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (certificate, _, _) => ChainsTo(certificate, clientAuthority),
            });
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(calls);
        var app = builder.Build();
        app.MapGrpcService<RecordingHealth>();
        app.MapGrpcService<RecordingOperations>();
        await app.StartAsync();
        return new MutualTlsTestHost(app, calls);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>One call as the server saw it.</summary>
    public sealed record Call(string Method, string? ClientCertificateThumbprint, string? ClientSubject, IReadOnlyDictionary<string, string> Headers);

    public sealed class CallLog
    {
        private readonly ConcurrentQueue<Call> _calls = new();

        public IReadOnlyList<Call> All => [.. _calls];

        public void Record(string method, ServerCallContext context)
        {
            var certificate = context.GetHttpContext().Connection.ClientCertificate;
            _calls.Enqueue(new Call(
                method,
                certificate?.Thumbprint,
                certificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
                context.RequestHeaders.Where(h => !h.IsBinary).ToDictionary(h => h.Key, h => h.Value)));
        }
    }

    private sealed class RecordingHealth(CallLog calls) : Grpc.Health.V1.Health.HealthBase
    {
        public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
        {
            calls.Record("Check", context);
            return Task.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving });
        }
    }

    private sealed class RecordingOperations(CallLog calls) : OperationsService.OperationsServiceBase
    {
        public override Task<ListAgenciesResponse> ListAgencies(ListAgenciesRequest request, ServerCallContext context)
        {
            calls.Record("ListAgencies", context);
            return Task.FromResult(new ListAgenciesResponse());
        }
    }
}
