using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Agencies;

/// <summary>
/// A running gateway whose directory is a file outside its content root (<c>Gateway:DirectoryFile</c>): an edit of the
/// file takes effect without a restart and is audited as <c>directory.loaded</c> with what it changed, and an invalid
/// edit is refused, logged, and leaves the directory as it was.
/// </summary>
public sealed class DirectoryReloadTests : IAsyncLifetime
{
    private const int RefusedEvent = 4002;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("gateway-directory-").FullName;
    private readonly DirectoryEvents _events = new();
    private readonly GatewayServer _server;

    public DirectoryReloadTests()
    {
        Write(SampleDirectory.CreateOptions());
        _server = new GatewayServer
        {
            ExtraArguments = [$"--{Gateway.Agencies.DirectorySource.FileKey}={DirectoryFile}"],
            Configure = builder => builder.Logging.AddProvider(_events),
        };
    }

    private string DirectoryFile => Path.Combine(_folder, "directory.json");

    public Task InitializeAsync() => _server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        System.IO.Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task An_added_route_applies_without_restart_and_an_invalid_edit_leaves_the_directory_in_effect()
    {
        var referrals = new ReferralService.ReferralServiceClient(_server.Channel);
        var operations = new OperationsService.OperationsServiceClient(_server.Channel);
        var sample = SampleDirectory.Create();
        var started = Assert.Single(await DirectoryLoadsAsync());
        Assert.Equal(sample.ContentHash, started.ContentHash);
        Assert.Equal(sample.Routes.Agreements.Select(r => r.Id).Order(StringComparer.Ordinal), started.RoutesAdded);
        Assert.Equal(sample.Agencies.Select(a => a.Id.ToString()), started.AgenciesAdded);
        var refused = await Assert.ThrowsAsync<RpcException>(() => SubmitAsync(referrals));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var edited = WithPartnerReferralsToNcbs();
        var replaced = ReplacedAsync();
        Write(edited);
        await replaced;

        // The entry is written before the snapshot takes effect: no message goes by a route the audit does not show yet.
        var loaded = (await DirectoryLoadsAsync())[1];

        var expected = AgencyDirectory.FromOptions(edited);
        Assert.Equal(expected.ContentHash, loaded.ContentHash);
        Assert.Equal(["ForeignPartner -> InterpolNcb"], loaded.RoutesAdded);
        Assert.Null(loaded.RoutesRemoved);
        Assert.Null(loaded.RoutesChanged);
        Assert.Null(loaded.AgenciesAdded);
        Assert.Null(loaded.AgenciesChanged);
        Assert.Equal(expected.ContentHash, _server.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory().ContentHash);
        await SubmitAsync(referrals);
        var routes = await operations.ListRoutesAsync(new ListRoutesRequest(), AsOperator());
        Assert.Equal(8, routes.Routes.Count);
        Assert.Equal(("ForeignPartner", "InterpolNcb"), (routes.Routes[7].From, routes.Routes[7].To));

        // The route is taken away again, but by an edit that names an agency the directory does not have.
        _server.ExpectErrorLog(nameof(OptionsValidationException));
        var invalid = SampleDirectory.CreateOptions();
        invalid.Routes.Add(SampleDirectory.Route("DE/BKA", "CN", ["Referral"], "H1"));
        Write(invalid);
        var refusal = await _events.NextAsync(RefusedEvent);

        Assert.Contains(expected.ContentHash, refusal, StringComparison.Ordinal);
        Assert.Contains("From names agency 'DE/BKA', which is not in the directory", refusal, StringComparison.Ordinal);
        Assert.Equal(expected.ContentHash, _server.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory().ContentHash);
        await SubmitAsync(referrals);
        Assert.Equal(8, (await operations.ListRoutesAsync(new ListRoutesRequest(), AsOperator())).Routes.Count);
        Assert.Equal(2, (await DirectoryLoadsAsync()).Count);
    }

    [Fact]
    public async Task A_file_that_is_not_json_is_refused_and_a_later_valid_edit_applies()
    {
        Assert.Single(await DirectoryLoadsAsync());
        _server.ExpectErrorLog(nameof(OptionsValidationException));

        WriteText("{ \"Agencies\": [ ");
        var refusal = await _events.NextAsync(RefusedEvent);

        Assert.Contains("is not valid JSON", refusal, StringComparison.Ordinal);
        Assert.Equal(SampleDirectory.Create().ContentHash, _server.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory().ContentHash);

        var replaced = ReplacedAsync();
        Write(WithPartnerReferralsToNcbs());
        await replaced;

        Assert.Equal(["ForeignPartner -> InterpolNcb"], (await DirectoryLoadsAsync())[1].RoutesAdded);

        await SubmitAsync(new ReferralService.ReferralServiceClient(_server.Channel));
    }

    private async Task<IReadOnlyList<AuditDetails>> DirectoryLoadsAsync() =>
        await _server.Store.ReadAuditAsync(default).Where(a => a.Kind == AuditKinds.DirectoryLoaded).Select(a => a.Details).ToListAsync();

    /// <summary>Completes when a new snapshot replaces the one in effect now.</summary>
    private Task ReplacedAsync()
    {
        var replaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory().ChangeToken.RegisterChangeCallback(_ => replaced.TrySetResult(), null);
        return replaced.Task.WaitAsync(Eventually.DefaultTimeout);
    }

    /// <summary>A referral from a foreign partner to the Interpol NCB: the sample directory has no route for it.</summary>
    private static async Task SubmitAsync(ReferralService.ReferralServiceClient client)
    {
        var request = Samples.Referral("RU/MVD", "CN/NCB");
        request.Header.Handling = new Handling { Code = HandlingCode.H1 };
        await client.SubmitReferralAsync(request, GatewayServer.As("RU/MVD"));
    }

    private static DirectoryOptions WithPartnerReferralsToNcbs()
    {
        var options = SampleDirectory.CreateOptions();
        options.Routes.Add(SampleDirectory.Route("ForeignPartner", "InterpolNcb", ["Referral"], "H2"));
        return options;
    }

    private void Write(DirectoryOptions directory) => WriteText(JsonSerializer.Serialize(directory, Json));

    /// <summary>Replaces the file in one step, as an editor that saves atomically does, so no half-written file is read.</summary>
    private void WriteText(string text)
    {
        var next = Path.Combine(_folder, "directory.json.next");
        File.WriteAllText(next, text);
        File.Move(next, DirectoryFile, overwrite: true);
    }

    /// <summary>The directory's log events in the order the gateway wrote them, with their text.</summary>
    private sealed class DirectoryEvents : ILoggerProvider
    {
        private readonly Channel<(int Id, string Text)> _events = Channel.CreateUnbounded<(int, string)>();

        /// <summary>Waits for the next event <paramref name="eventId"/>, skipping others of the directory.</summary>
        public async Task<string> NextAsync(int eventId)
        {
            using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
            while (true)
            {
                var (id, text) = await _events.Reader.ReadAsync(timeout.Token);
                if (id == eventId)
                {
                    return text;
                }
            }
        }

        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("Gateway.Agencies.", StringComparison.Ordinal) ? new Writer(_events.Writer) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Writer(ChannelWriter<(int, string)> events) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                events.TryWrite((eventId.Id, $"{formatter(state, exception)} {exception?.Message}"));
        }
    }
}
