using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;
using static Gateway.FunctionalTests.Operations.OperatorFixtures;

namespace Gateway.FunctionalTests.Trace;

/// <summary>SearchMessages over 127.0.0.1: filters, order, stable pages, and only what the caller may see.</summary>
public sealed class SearchMessagesTests(GatewayServer server) : IClassFixture<GatewayServer>
{
    private readonly TraceService.TraceServiceClient _trace = new(server.Channel);
    private readonly ReferralService.ReferralServiceClient _referrals = new(server.Channel);

    [Fact]
    public async Task A_search_by_case_pages_newest_first_and_a_message_accepted_meanwhile_is_on_no_later_page()
    {
        const string Case = "CN-FJ-2026-SEARCH";
        var sent = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            sent.Add(await SubmitAsync(Case, "CN/FJPSD"));
        }

        var request = new SearchMessagesRequest { Filter = new() { CaseReference = Case }, PageSize = 3 };
        var pages = new List<SearchMessagesResponse> { await _trace.SearchMessagesAsync(request, AsOperator()) };
        var meanwhile = await SubmitAsync(Case, "CN/FJPSD");
        while (pages[^1].NextPageToken.Length > 0 && pages.Count < 10)
        {
            request.PageToken = pages[^1].NextPageToken;
            pages.Add(await _trace.SearchMessagesAsync(request, AsOperator()));
        }

        Assert.Equal([3, 3, 1], pages.Select(p => p.Messages.Count));
        Assert.Equal(Enumerable.Reverse(sent), pages.SelectMany(p => p.Messages).Select(m => m.Message.MessageId));
        var match = pages[0].Messages[0];
        Assert.Equal(("Referral", "CN/PLO-RU", Case), (match.Message.Kind, match.Message.Sender, match.Message.CaseReference));
        Assert.Equal(["CN/FJPSD"], match.Deliveries.Select(d => d.Recipient));
        Assert.Equal(DeliveryStatus.Pending, match.Deliveries[0].Status);

        var oldestFirst = await _trace.SearchMessagesAsync(
            new() { Filter = new() { CaseReference = Case }, Order = SearchOrder.OldestFirst, PageSize = 500 }, AsOperator());
        Assert.Equal([.. sent, meanwhile], oldestFirst.Messages.Select(m => m.Message.MessageId));
        Assert.Empty(oldestFirst.NextPageToken);
    }

    [Fact]
    public async Task An_agency_finds_only_what_it_sent_or_was_addressed_by_and_filters_combine()
    {
        const string Case = "CN-FJ-2026-SEARCH-PARTIES";
        var toFujian = await SubmitAsync(Case, "CN/FJPSD");
        var toMinistry = await SubmitAsync(Case, "CN/MPS");

        var byMinistry = await _trace.SearchMessagesAsync(new() { Filter = new() { CaseReference = Case } }, GatewayServer.As("CN/MPS"));
        var bySender = await _trace.SearchMessagesAsync(new() { Filter = new() { CaseReference = Case } }, GatewayServer.As("CN/PLO-RU"));
        var byRecipient = await _trace.SearchMessagesAsync(
            new() { Filter = new() { CaseReference = Case, Recipient = "CN/FJPSD", Kind = "Referral", Status = DeliveryStatus.Pending } }, AsOperator());
        var byRussia = await _trace.SearchMessagesAsync(new() { Filter = new() { CaseReference = Case } }, GatewayServer.As("RU/MVD"));

        Assert.Equal([toMinistry], byMinistry.Messages.Select(m => m.Message.MessageId));
        Assert.Equal([toMinistry, toFujian], bySender.Messages.Select(m => m.Message.MessageId));
        Assert.Equal([toFujian], byRecipient.Messages.Select(m => m.Message.MessageId));
        Assert.Empty(byRussia.Messages);
        Assert.Empty(byRussia.NextPageToken);
    }

    [Fact]
    public async Task A_page_token_of_another_search_is_refused()
    {
        await SubmitAsync("CN-FJ-2026-SEARCH-TOKEN", "CN/FJPSD");
        await SubmitAsync("CN-FJ-2026-SEARCH-TOKEN", "CN/FJPSD");
        var first = await _trace.SearchMessagesAsync(new() { Filter = new() { CaseReference = "CN-FJ-2026-SEARCH-TOKEN" }, PageSize = 1 }, AsOperator());
        Assert.NotEmpty(first.NextPageToken);

        await StatusAssert.Refused(
            () => _trace.SearchMessagesAsync(
                new() { Filter = new() { CaseReference = "CN-FJ-2026-OTHER" }, PageSize = 1, PageToken = first.NextPageToken }, AsOperator()).ResponseAsync,
            StatusCode.InvalidArgument,
            "page_token");
    }

    private async Task<string> SubmitAsync(string caseReference, string recipient)
    {
        var referral = Samples.Referral("CN/PLO-RU", recipient);
        referral.Header.CaseReference = caseReference;
        await _referrals.SubmitReferralAsync(referral, GatewayServer.As("CN/PLO-RU"));
        return referral.Header.MessageId;
    }
}
