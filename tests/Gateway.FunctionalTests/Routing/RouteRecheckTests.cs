using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Routing;

/// <summary>
/// A reviewer's release checks each held delivery against the route agreements in effect then: an agreement taken
/// away while the message waited for review means that recipient is refused, not released.
/// </summary>
public sealed class RouteRecheckTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("gateway-recheck-").FullName;
    private readonly GatewayServer _server;

    public RouteRecheckTests()
    {
        Write(SampleDirectory.CreateOptions());
        _server = new GatewayServer { ExtraArguments = [$"--{Gateway.Agencies.DirectorySource.FileKey}={DirectoryFile}"] };
    }

    private string DirectoryFile => Path.Combine(_folder, "directory.json");

    public Task InitializeAsync() => _server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        System.IO.Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_release_refuses_a_held_delivery_whose_route_was_taken_away_meanwhile_and_releases_the_others()
    {
        var request = Samples.LocationRequest("RU", "US");
        request.Request.Charges[0].Offence.Character = OffenceCharacter.Political;
        var receipt = (await new FugitiveService.FugitiveServiceClient(_server.Channel).RequestLocationAsync(request, GatewayServer.As("CN/MPS"))).Receipt;
        Assert.Equal(MessageState.HeldForReview, receipt.State);

        // Domestic agencies may now ask only RU/MVD among the foreign partners.
        var narrowed = SampleDirectory.CreateOptions();
        narrowed.Routes.Single(r => r is { From: "Domestic", To: "ForeignPartner" }).To = "RU/MVD";
        var replaced = ReplacedAsync();
        Write(narrowed);
        await replaced;

        var response = await new OperationsService.OperationsServiceClient(_server.Channel).ReviewHeldMessageAsync(
            new() { MessageId = request.Header.MessageId, Decision = ReviewDecision.Release, Reason = "ordinary fraud" }, AsOperator("legal-officer.2"));

        Assert.Equal(["RU/MVD"], response.Recipients);
        Assert.Equal(["US/FBI"], response.NotAgreedRecipients);
        Assert.Equal(
            [("RU/MVD", DeliveryState.Pending), ("US/FBI", DeliveryState.RefusedOnReview)],
            (await _server.Store.GetDeliveriesAsync(request.Header.MessageId, default)).Select(d => (d.Recipient, d.State)));
        var refused = Assert.Single(await AuditAsync(_server.Store, AuditKinds.MessageRefusedOnReview), r => r.MessageId == request.Header.MessageId);
        Assert.Equal(["US/FBI"], refused.Details.Recipients);
        Assert.Equal(("operator:legal-officer.2", "route_not_agreed"), (refused.Actor, refused.Details.Reason));
    }

    /// <summary>Completes once a newer directory than the one in effect now has taken its place.</summary>
    private Task ReplacedAsync()
    {
        var replaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Services.GetRequiredService<IAgencyDirectoryProvider>().GetDirectory().ChangeToken.RegisterChangeCallback(_ => replaced.TrySetResult(), null);
        return replaced.Task.WaitAsync(Eventually.DefaultTimeout);
    }

    /// <summary>Replaces the file in one step, as an editor that saves atomically does.</summary>
    private void Write(DirectoryOptions directory)
    {
        var next = Path.Combine(_folder, "directory.json.next");
        File.WriteAllText(next, JsonSerializer.Serialize(directory, Json));
        File.Move(next, DirectoryFile, overwrite: true);
    }
}
