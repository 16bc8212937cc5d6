using Gateway.Core.Audit;
using Gateway.Core.Storage;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Delivery;

/// <summary>
/// Endpoints that refuse a message or ask its sender a question (defect 6 of issue 17), with real gateway and PartnerSim
/// processes: the answer is final for that delivery, audited once, and reaches the sender's endpoint as a notice.
/// </summary>
public sealed class EndpointAnswerTests
{
    private const string Sender = "CN/PLO-RU";
    private const string Fujian = "CN/FJPSD";
    private const string Ministry = "CN/MPS";

    [Fact]
    public async Task A_refused_delivery_is_not_retried_is_audited_once_and_the_senders_endpoint_gets_the_refusal_as_a_notice()
    {
        await using var network = await DeliveryNetwork.StartAsync(
            [Sender, Fujian],
            new Dictionary<string, PartnerSimFaults>
            {
                [Fujian] = new() { Refuse = ["referral"], RefuseReason = "legal_grounds" },
            });
        var referral = Referral(Fujian);

        await new ReferralService.ReferralServiceClient(network.Gateway.Channel).SubmitReferralAsync(referral, GatewayServer.As(Sender));

        var notices = await Eventually.WaitForAsync(() => network[Sender].ReadInbox().Notices, n => n.Count > 0, "the refusal notice at the sender");
        var notice = Assert.Single(notices);
        Assert.Equal(
            ("delivery_refused", referral.Header.MessageId, Fujian, "legal_grounds", "Refused by PartnerSim (--refuse)."),
            (notice.Kind, notice.AboutMessageId, notice.Recipient, notice.Reason, notice.Text));
        var fujian = network[Fujian].ReadInbox();
        Assert.Empty(fujian.Applied);
        Assert.Equal(("refused", 1u), (Assert.Single(fujian.Answered).Outcome, fujian.Answered[0].Attempt));
        Assert.Single(network[Fujian].ReadReceivedLog(), line => line.Contains(referral.Header.MessageId, StringComparison.Ordinal));
        Assert.Equal([(Fujian, (int)DeliveryState.RefusedByRecipient, 1)], GatewayDatabase.Deliveries(network.DatabasePath, referral.Header.MessageId));

        var audit = GatewayDatabase.AuditAbout(network.DatabasePath, referral.Header.MessageId);
        var refused = Assert.Single(audit, e => e.Kind.StartsWith("delivery.", StringComparison.Ordinal));
        Assert.Equal(AuditKinds.DeliveryRefusedByRecipient, refused.Kind);
        var details = AuditDetails.Parse(refused.Details);
        Assert.Equal(("legal_grounds", Fujian, 1L), (details.Reason, details.Recipient, details.Attempt));
        Assert.DoesNotContain("PartnerSim", refused.Details, StringComparison.Ordinal);
        var issued = Assert.Single(GatewayDatabase.AuditAbout(network.DatabasePath, notice.MessageId), e => e.Kind == AuditKinds.NoticeIssued);
        Assert.Equal(referral.Header.MessageId, AuditDetails.Parse(issued.Details).About);
    }

    [Fact]
    public async Task A_refusal_answers_its_delivery_so_the_later_messages_of_its_case_still_reach_that_recipient()
    {
        await using var network = await DeliveryNetwork.StartAsync(
            [Sender, Fujian], new Dictionary<string, PartnerSimFaults> { [Fujian] = new() { Refuse = ["referral"] } });
        var referral = Referral(Fujian);
        var request = Samples.LocationRequest("CN");
        request.Header.Sender = Sender;
        request.Header.Recipients.Clear();
        request.Header.Recipients.Add(Fujian);
        request.Header.CaseReference = referral.Header.CaseReference;

        await new ReferralService.ReferralServiceClient(network.Gateway.Channel).SubmitReferralAsync(referral, GatewayServer.As(Sender));
        await new FugitiveService.FugitiveServiceClient(network.Gateway.Channel).RequestLocationAsync(request, GatewayServer.As(Sender));

        var inbox = await network.WaitForInboxAsync(Fujian, 1);
        var applied = Assert.Single(inbox.Applied);
        Assert.Equal((request.Header.MessageId, 1u), (applied.MessageId, applied.Attempt));
        Assert.Equal((referral.Header.MessageId, "refused"), (Assert.Single(inbox.Answered).MessageId, inbox.Answered[0].Outcome));
    }

    [Fact]
    public async Task A_question_is_answered_by_the_sender_with_gatewayctl_once_and_the_answer_reaches_only_the_recipient_that_asked()
    {
        const string Question = "Which warrant does the arrest rest on?";
        await using var network = await DeliveryNetwork.StartAsync(
            [Sender, Fujian, Ministry],
            new Dictionary<string, PartnerSimFaults> { [Fujian] = new() { Clarify = ["referral"], Question = Question } });
        var gateway = network.Gateway.Channel;
        var referral = Referral(Fujian, Ministry);
        await new ReferralService.ReferralServiceClient(gateway).SubmitReferralAsync(referral, GatewayServer.As(Sender));
        var notice = Assert.Single(await Eventually.WaitForAsync(() => network[Sender].ReadInbox().Notices, n => n.Count > 0, "the question at the sender"));
        Assert.Equal(("clarification_requested", Fujian, Question), (notice.Kind, notice.Recipient, notice.Text));
        var clarifications = new ClarificationService.ClarificationServiceClient(gateway);

        var answerId = Guid.CreateVersion7().ToString();
        var (exitCode, output) = await ChildProcess.RunToEndAsync(
            ChildProcess.BuildOutputFile("Gateway.Cli", "gatewayctl.dll"),
            [
                "answer-clarification", "--gateway", network.Gateway.Address, "--about", referral.Header.MessageId, "--recipient", Fujian,
                "--case", referral.Header.CaseReference, "--answer", "The warrant of 12 November.", "--message-id", answerId,
            ]);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"resolved recipients: {Fujian}{Environment.NewLine}", output, StringComparison.Ordinal);
        var applied = (await network.WaitForInboxAsync(Fujian, 1)).Applied;
        Assert.Equal(("clarification_answer", answerId, Sender), (applied[0].PayloadKind, applied[0].MessageId, applied[0].Sender));
        await Eventually.WaitForAsync(
            () => GatewayDatabase.Deliveries(network.DatabasePath, referral.Header.MessageId),
            deliveries => deliveries.SequenceEqual([(Fujian, (int)DeliveryState.ClarificationAnswered, 1), (Ministry, (int)DeliveryState.Delivered, 1)]),
            "the question answered and the referral delivered to the ministry");
        Assert.Equal([referral.Header.MessageId], (await network.WaitForInboxAsync(Ministry, 1)).Applied.Select(a => a.MessageId));
        var answered = Assert.Single(GatewayDatabase.AuditAbout(network.DatabasePath, referral.Header.MessageId), e => e.Kind == AuditKinds.ClarificationAnswered);
        Assert.Equal((answerId, Fujian), (AuditDetails.Parse(answered.Details).By, AuditDetails.Parse(answered.Details).Recipient));

        await AssertRefusedAsync(() => clarifications.AnswerClarificationAsync(Answer(referral, Fujian), GatewayServer.As(Sender)).ResponseAsync,
            StatusCode.FailedPrecondition, "no_open_question", "answer.recipient");
        await AssertRefusedAsync(() => clarifications.AnswerClarificationAsync(Answer(referral, Ministry), GatewayServer.As(Sender)).ResponseAsync,
            StatusCode.FailedPrecondition, "no_open_question", "answer.recipient");
        var unknown = Answer(referral, Fujian);
        unknown.Answer.MessageId = Guid.NewGuid().ToString();
        await AssertRefusedAsync(() => clarifications.AnswerClarificationAsync(unknown, GatewayServer.As(Sender)).ResponseAsync,
            StatusCode.NotFound, "unknown_message", "answer.message_id");
        var notTheSender = Answer(referral, Fujian);
        notTheSender.Header.Sender = Ministry;
        await AssertRefusedAsync(() => clarifications.AnswerClarificationAsync(notTheSender, GatewayServer.As(Ministry)).ResponseAsync,
            StatusCode.PermissionDenied, "not_the_sender", "header.sender");
        Assert.Single((await network.WaitForInboxAsync(Fujian, 1)).Applied);
    }

    private static async Task AssertRefusedAsync(Func<Task> call, StatusCode code, string reason, string field)
    {
        var status = await StatusAssert.Refused(call, code, field);
        Assert.Equal(reason.ToUpperInvariant(), status.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    private static SubmitReferralRequest Referral(params string[] recipients)
    {
        var referral = Samples.Referral(Sender, recipients[0]);
        referral.Referral.Coordination = null;
        referral.Header.Recipients.Clear();
        referral.Header.Recipients.Add(recipients);
        referral.Header.CaseReference = "CN-FJ-ANSWERS-" + referral.Header.MessageId[..8].ToUpperInvariant();
        return referral;
    }

    private static AnswerClarificationRequest Answer(SubmitReferralRequest referral, string recipient)
    {
        var header = Samples.Header(Sender);
        header.CaseReference = referral.Header.CaseReference;
        return new AnswerClarificationRequest
        {
            Header = header,
            Answer = new ClarificationAnswer { MessageId = referral.Header.MessageId, Recipient = recipient, Answer = "The warrant of 12 November." },
        };
    }
}
