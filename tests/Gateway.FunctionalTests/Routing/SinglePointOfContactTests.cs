using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Interagency.V1;

namespace Gateway.FunctionalTests.Routing;

/// <summary>
/// With China's single point of contact configured (CN/NCB), a location request from the ministry abroad is copied to
/// it, visibly in the receipt; a request within China is not. The copy is for information: it owes no reply.
/// </summary>
public sealed class SinglePointOfContactTests : IAsyncLifetime
{
    private readonly GatewayServer _server = new() { ExtraArguments = ["--Gateway:Directory:SinglePointsOfContact:CN=CN/NCB"] };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_request_abroad_is_copied_to_the_senders_single_point_of_contact_which_owes_no_reply_and_one_at_home_is_not()
    {
        var fugitive = new FugitiveService.FugitiveServiceClient(_server.Channel);
        var abroad = Samples.LocationRequest("RU", "US");
        var referral = Samples.Referral("CN/PLO-RU", "CN/FJPSD");
        referral.Header.CaseReference = "CN-FJ-2026-SPOC";

        var copied = (await fugitive.RequestLocationAsync(abroad, GatewayServer.As("CN/MPS"))).Receipt;
        var home = (await new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"))).Receipt;

        Assert.Equal(["RU/MVD", "US/FBI", "CN/NCB"], copied.ResolvedRecipients);
        Assert.Contains(await _server.Store.GetDeliveriesAsync(abroad.Header.MessageId, default), d => d.Recipient == "CN/NCB");
        Assert.Equal(["CN/FJPSD"], home.ResolvedRecipients);
        Assert.True(await _server.Store.IsReplyAwaitedAsync(abroad.Header.MessageId, "RU/MVD", default));
        Assert.False(await _server.Store.IsReplyAwaitedAsync(abroad.Header.MessageId, "CN/NCB", default));
    }
}
