using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Agencies;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.FunctionalTests.Agencies;

/// <summary>
/// The dispatcher finds an agency's endpoint in the directory in effect: deliveries that waited for an agency without
/// one go out once an edit of the directory file gives it one, and deliveries to an agency an edit removed wait,
/// without an attempt counted, until an edit brings it back.
/// </summary>
public sealed class DirectoryEndpointEditTests : IAsyncLifetime
{
    private const string Fujian = "CN/FJPSD";
    private const int NoEndpointEvent = 2005;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("gateway-directory-endpoint-").FullName;
    private readonly LogEvents _log = new();
    private readonly GatewayServer _server;
    private RecordingEndpoint _endpoint = null!;

    public DirectoryEndpointEditTests()
    {
        Write(FujianAt(null));
        _server = new GatewayServer
        {
            ExtraArguments =
            [
                $"--{Gateway.Agencies.DirectorySource.FileKey}={DirectoryFile}",
                "--Gateway:Delivery:Enabled=true",
                // Long enough for an edit to take effect before the retry of a refused delivery is due.
                "--Gateway:Delivery:Retry:BaseDelay=00:00:03",
                "--Gateway:Delivery:Retry:MaxDelay=00:00:06",
            ],
            Configure = builder => builder.Logging.AddProvider(_log),
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

    [Fact]
    public async Task Deliveries_to_an_agency_an_edit_removed_wait_without_an_attempt_until_an_edit_brings_it_back()
    {
        _endpoint.Refusals = 1;
        var referral = Samples.Referral("CN/PLO-RU", Fujian);
        referral.Referral.Coordination = null;
        var client = new ReferralService.ReferralServiceClient(_server.Channel);
        Write(FujianAt(_endpoint.Address));
        await Eventually.WaitForAsync(
            () => _server.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory().TryGet(AgencyId.Parse(Fujian), out var a) ? a.Endpoint : null,
            endpoint => endpoint is not null,
            "the endpoint to be in effect");
        await client.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        await Eventually.WaitForAsync(() => _endpoint.Received, r => r.Count == 1, "the first attempt, refused");

        // Removed while its delivery waits for the retry: claimed once it is due, the delivery is given back unsent.
        var without = SampleDirectory.CreateOptions();
        without.Agencies.RemoveAll(a => a.Id == Fujian);
        var withFujian = _server.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory();
        Write(without);
        await Eventually.WaitForAsync(() => withFujian.ChangeToken.HasChanged, changed => changed, "the removal to take effect");
        Assert.Single(_endpoint.Received);
        await _log.WaitForAsync(NoEndpointEvent, Fujian);

        Write(FujianAt(_endpoint.Address));

        var received = await Eventually.WaitForAsync(() => _endpoint.Received, r => r.Count == 2, "the delivery once the agency is back");
        Assert.Equal([(referral.Header.MessageId, 1u), (referral.Header.MessageId, 2u)], received);
        Assert.Equal(2, Assert.Single(await _server.Store.GetDeliveriesAsync(referral.Header.MessageId, default)).Attempts);
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
        private LoopbackGrpcServer _host = null!;
        private int _refusals;

        /// <summary>How many calls to answer UNAVAILABLE before applying.</summary>
        public int Refusals
        {
            set => _refusals = value;
        }

        public string Address => _host.Address;

        public IReadOnlyList<(string MessageId, uint Attempt)> Received => [.. _received];

        public static async Task<RecordingEndpoint> StartAsync()
        {
            var endpoint = new RecordingEndpoint();
            endpoint._host = await LoopbackGrpcServer.StartAsync(endpoint);
            return endpoint;
        }

        public override Task<DeliverBatchResponse> DeliverBatch(DeliverBatchRequest request, ServerCallContext context)
        {
            if (Interlocked.Decrement(ref _refusals) >= 0)
            {
                foreach (var delivery in request.Deliveries)
                {
                    _received.Enqueue((delivery.Header.MessageId, delivery.Attempt));
                }

                throw new RpcException(new Status(StatusCode.Unavailable, "down for this call"));
            }

            var response = new DeliverBatchResponse();
            foreach (var delivery in request.Deliveries)
            {
                _received.Enqueue((delivery.Header.MessageId, delivery.Attempt));
                response.Results.Add(new DeliverResult { DeliveryId = delivery.DeliveryId, Outcome = DeliveryOutcome.Applied });
            }

            return Task.FromResult(response);
        }

        public ValueTask DisposeAsync() => _host.DisposeAsync();
    }

    /// <summary>Lets the test await a log event about one agency, logged by the dispatcher.</summary>
    private sealed class LogEvents : ILoggerProvider
    {
        private readonly ConcurrentQueue<(int Id, string Text)> _events = new();

        public async Task WaitForAsync(int eventId, string about) =>
            await Eventually.WaitForAsync(() => _events.ToArray(), e => e.Any(x => x.Id == eventId && x.Text.Contains(about, StringComparison.Ordinal)), $"event {eventId} about {about}");

        public ILogger CreateLogger(string categoryName) => new Writer(_events);

        public void Dispose()
        {
        }

        private sealed class Writer(ConcurrentQueue<(int, string)> events) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                events.Enqueue((eventId.Id, formatter(state, exception)));
        }
    }
}
