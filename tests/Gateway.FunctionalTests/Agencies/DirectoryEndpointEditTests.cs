using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Agencies;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Agencies;

/// <summary>
/// The dispatcher finds an agency's endpoint in the directory in effect: deliveries that waited for an agency without
/// one go out once an edit of the directory file gives it one, without a restart.
/// </summary>
public sealed class DirectoryEndpointEditTests : IAsyncLifetime
{
    private const string Fujian = "CN/FJPSD";

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("gateway-directory-endpoint-").FullName;
    private readonly GatewayServer _server;
    private RecordingEndpoint _endpoint = null!;

    public DirectoryEndpointEditTests()
    {
        Write(FujianAt(null));
        _server = new GatewayServer
        {
            ExtraArguments = [$"--{Gateway.Agencies.DirectorySource.FileKey}={DirectoryFile}", "--Gateway:Delivery:Enabled=true"],
        };
    }

    private string DirectoryFile => Path.Combine(_folder, "directory.json");

    public async Task InitializeAsync()
    {
        _endpoint = await RecordingEndpoint.StartAsync();
        await _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _endpoint.DisposeAsync();
        System.IO.Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Deliveries_that_waited_for_an_endpoint_go_out_once_an_edit_gives_the_agency_one()
    {
        var referral = Samples.Referral("CN/PLO-RU", Fujian);
        referral.Referral.Coordination = null;
        await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        var pending = Assert.Single(await _server.Store.GetDeliveriesAsync(referral.Header.MessageId, default));
        Assert.Equal(0, pending.Attempts);

        Write(FujianAt(_endpoint.Address));

        var received = await Eventually.WaitForAsync(() => _endpoint.Received, r => r.Count > 0, "the delivery to the endpoint the edit added");
        Assert.Equal([(referral.Header.MessageId, 1u)], received);
    }

    private static DirectoryOptions FujianAt(string? endpoint)
    {
        var options = SampleDirectory.CreateOptions();
        options.Agencies.Single(a => a.Id == Fujian).Endpoint = endpoint;
        return options;
    }

    private void Write(DirectoryOptions directory)
    {
        var next = Path.Combine(_folder, "directory.json.next");
        File.WriteAllText(next, JsonSerializer.Serialize(directory, Json));
        File.Move(next, DirectoryFile, overwrite: true);
    }

    /// <summary>An agency endpoint on Kestrel in this process that applies everything and records what it was sent.</summary>
    private sealed class RecordingEndpoint : AgencyEndpointService.AgencyEndpointServiceBase, IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string MessageId, uint Attempt)> _received = new();
        private WebApplication _app = null!;

        public string Address { get; private set; } = "";

        public IReadOnlyList<(string MessageId, uint Attempt)> Received => [.. _received];

        public static async Task<RecordingEndpoint> StartAsync()
        {
            var endpoint = new RecordingEndpoint();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(endpoint);
            endpoint._app = builder.Build();
            endpoint._app.MapGrpcService<RecordingEndpoint>();
            await endpoint._app.StartAsync();
            endpoint.Address = endpoint._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return endpoint;
        }

        public override Task<DeliverBatchResponse> DeliverBatch(DeliverBatchRequest request, ServerCallContext context)
        {
            var response = new DeliverBatchResponse();
            foreach (var delivery in request.Deliveries)
            {
                _received.Enqueue((delivery.Header.MessageId, delivery.Attempt));
                response.Results.Add(new DeliverResult { DeliveryId = delivery.DeliveryId, Outcome = DeliveryOutcome.Applied });
            }

            return Task.FromResult(response);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
