using Gateway.Contracts.Validation;
using Gateway.Tests.Shared;
using Interagency.V1;
using ProtoValidate;

namespace Gateway.FunctionalTests.PartnerSim;

/// <summary>
/// A PartnerSim process that refuses referrals and asks about location requests (<c>--refuse</c>, <c>--clarify</c>):
/// each answer is valid by the contract, recorded in its inbox instead of applied, and notices are kept with their text.
/// </summary>
public sealed class PartnerSimAnswerTests : IAsyncLifetime
{
    private const string Question = "Which court issued the warrant?";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("partnersim-answers-").FullName;
    private readonly SchemaValidator _contract = new(new Validator(new ValidatorOptions { DisableLazy = false }), TimeProvider.System);
    private PartnerSimProcess _sim = null!;

    public async Task InitializeAsync() =>
        _sim = await PartnerSimProcess.StartAsync(
            SampleDeliveries.Recipient,
            _dataDirectory,
            new PartnerSimFaults { Refuse = ["Referral"], RefuseReason = "legal_grounds", Clarify = ["location_request"], Question = Question });

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Refused_and_asked_kinds_are_answered_so_and_recorded_and_the_rest_is_applied()
    {
        var referral = SampleDeliveries.Referral();
        var request = SampleDeliveries.Referral();
        request.LocationRequest = Samples.LocationRequest("RU").Request;
        var notice = SampleDeliveries.Referral();
        notice.Notice = new DeliveryNotice
        {
            Kind = NoticeKind.DeliveryRefused,
            MessageId = Guid.NewGuid().ToString(),
            Recipient = "CN/FJPSD",
            Refusal = new EndpointRefusal { Reason = EndpointRefusalReason.NotCompetent, Text = "Not ours." },
        };
        var batch = new DeliverBatchRequest { Deliveries = { referral, request, notice } };

        var results = (await _sim.Client.DeliverBatchAsync(batch, deadline: DateTime.UtcNow + CallTimeout)).Results;
        var unary = await _sim.Client.DeliverAsync(SampleDeliveries.Redelivery(referral), deadline: DateTime.UtcNow + CallTimeout);

        Assert.Equal([DeliveryOutcome.Refused, DeliveryOutcome.ClarificationRequested, DeliveryOutcome.Applied], results.Select(r => r.Outcome));
        Assert.Equal((EndpointRefusalReason.LegalGrounds, "Refused by PartnerSim (--refuse)."), (results[0].Refusal.Reason, results[0].Refusal.Text));
        Assert.Equal(Question, results[1].ClarificationQuestion);
        Assert.All(results, r => Assert.Empty(_contract.Validate(r)));
        Assert.Equal(DeliveryOutcome.Refused, unary.Outcome);
        Assert.Empty(_contract.Validate(unary));

        var inbox = _sim.ReadInbox();
        Assert.Equal([notice.Header.MessageId], inbox.Applied.Select(a => a.MessageId));
        Assert.Equal(
            [(referral.Header.MessageId, "referral", "refused"), (request.Header.MessageId, "location_request", "clarification_requested")],
            inbox.Answered.Select(a => (a.MessageId, a.PayloadKind, a.Outcome)));
        var kept = Assert.Single(inbox.Notices);
        Assert.Equal(
            (notice.Header.MessageId, "delivery_refused", notice.Notice.MessageId, "CN/FJPSD", "not_competent", "Not ours."),
            (kept.MessageId, kept.Kind, kept.AboutMessageId, kept.Recipient, kept.Reason, kept.Text));
        Assert.Contains(_sim.ReadReceivedLog(), line => line.Contains(" DECLINED ", StringComparison.Ordinal) && line.Contains(referral.Header.MessageId, StringComparison.Ordinal));
        Assert.Contains(_sim.ReadReceivedLog(), line => line.Contains(" ASKED ", StringComparison.Ordinal) && line.Contains(request.Header.MessageId, StringComparison.Ordinal));
    }
}
