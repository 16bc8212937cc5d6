using Gateway.Core.Audit;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.FunctionalTests.Operations;
using Gateway.FunctionalTests.Streams;
using Gateway.Tests.Shared;
using Google.Rpc;
using Grpc.Core;
using Interagency.V1;

namespace Gateway.FunctionalTests.Limits;

/// <summary>
/// Limits per agency through the wire (Development identity): each agency below has its own, every other agency the
/// fixture's unlimited defaults. A new gateway per test, so that buckets and audit windows start empty.
/// </summary>
public sealed class AgencyLimitsTests : IAsyncLifetime
{
    private const string Limited = "CN/PLO-RU";
    private const string Publisher = "US/FBI";
    private const string Sized = "CN/PLO-TH";
    private const string FewRecipients = "CN/NCB";
    private const string Subscribing = "CN/MPS";

    // One window longer than any test: the counts are written when the gateway stops.
    private readonly GatewayServer _server = new()
    {
        ExtraArguments =
        [
            "--Gateway:Audit:UnauthenticatedRefusals:Window=01:00:00",
            $"--Gateway:AgencyLimits:Agencies:{Limited}:PermitsPerSecond=2",
            $"--Gateway:AgencyLimits:Agencies:{Limited}:Burst=3",
            $"--Gateway:AgencyLimits:Agencies:{Publisher}:PermitsPerSecond=1",
            $"--Gateway:AgencyLimits:Agencies:{Publisher}:Burst=3",
            $"--Gateway:AgencyLimits:Agencies:{Sized}:MaxMessageBytes:Referral=256",
            $"--Gateway:AgencyLimits:Agencies:{FewRecipients}:MaxRecipients=1",
            $"--Gateway:AgencyLimits:Agencies:{Subscribing}:MaxConcurrentStreams=2",
        ],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_burst_beyond_the_bucket_is_resource_exhausted_with_retry_info_and_a_call_after_that_delay_succeeds()
    {
        var client = new ReferralService.ReferralServiceClient(_server.Channel);

        var (accepted, refused) = await BurstAsync(client, Limited, 20);

        Assert.True(accepted >= 3, $"the bucket holds 3 tokens; {accepted} calls got through");
        var status = Assert.Single(refused);
        Assert.Equal("AGENCY_RATE_LIMITED", status.GetDetail<ErrorInfo>()?.Reason);
        var delay = status.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan();
        Assert.NotNull(delay);
        Assert.InRange(delay.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(600));

        // Another agency is not held back by this one's empty bucket.
        await client.SubmitReferralAsync(Samples.Referral("CN/MPS", "CN/FJPSD"), GatewayServer.As("CN/MPS"));

        // The client honours the delay it was given, and the gateway honours it too.
        await Task.Delay(delay.Value);
        await client.SubmitReferralAsync(Samples.Referral(Limited), GatewayServer.As(Limited));
    }

    [Fact]
    public async Task Every_update_on_a_publishing_stream_takes_a_token_and_the_one_over_the_rate_ends_the_stream()
    {
        using var call = new CaseUpdateService.CaseUpdateServiceClient(_server.Channel).PublishUpdates(GatewayServer.As(Publisher));
        var acks = new List<PublishUpdatesResponse>();
        var reading = Task.Run(async () =>
        {
            await foreach (var ack in call.ResponseStream.ReadAllAsync())
            {
                acks.Add(ack);
            }
        });
        try
        {
            for (var i = 0; i < 10; i++)
            {
                await call.RequestStream.WriteAsync(Samples.StatusUpdate(Publisher, "US-FBI-2026-NONE"));
            }
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException)
        {
            // The gateway may end the stream before the publisher is done writing.
        }

        var end = await Assert.ThrowsAsync<RpcException>(() => reading);

        Assert.Equal(StatusCode.ResourceExhausted, end.StatusCode);
        Assert.Equal("AGENCY_RATE_LIMITED", end.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        Assert.NotNull(end.GetRpcStatus()?.GetDetail<RetryInfo>());

        // The stream's opening took the first of 3 tokens; at one a second, at most a token or two more came meanwhile.
        Assert.InRange(acks.Count, 2, 5);
    }

    [Fact]
    public async Task Streams_beyond_the_agencys_maximum_are_refused_and_one_ending_frees_its_place()
    {
        const string Case = "AR-PFA-2026-0900";
        await new ReferralService.ReferralServiceClient(_server.Channel)
            .SubmitReferralAsync(Samples.CaseOpening("AR/PFA", Subscribing, Case), GatewayServer.As("AR/PFA"));
        using (var publish = new CaseUpdateService.CaseUpdateServiceClient(_server.Channel).PublishUpdates(GatewayServer.As("AR/PFA")))
        {
            await publish.RequestStream.WriteAsync(Samples.StatusUpdate("AR/PFA", Case));
            Assert.True(await publish.ResponseStream.MoveNext());
            Assert.Equal(UpdateOutcome.Accepted, publish.ResponseStream.Current.Outcome);
            await publish.RequestStream.CompleteAsync();
        }

        // Each subscriber reads the update: its stream is open on the gateway, and counted.
        var first = new Subscriber(_server.Channel, Subscribing, 0, Case);
        await first.NextAsync();
        using var second = new Subscriber(_server.Channel, Subscribing, 0, Case);
        await second.NextAsync();
        using var third = new Subscriber(_server.Channel, Subscribing, 0, Case);
        var refused = await Assert.ThrowsAsync<RpcException>(third.NextAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("AGENCY_STREAMS_EXHAUSTED", refused.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);

        // Another agency's streams are its own.
        using (var other = new CaseUpdateService.CaseUpdateServiceClient(_server.Channel).PublishUpdates(GatewayServer.As("AR/PFA")))
        {
            await other.RequestStream.WriteAsync(Samples.StatusUpdate("AR/PFA", Case));
            Assert.True(await other.ResponseStream.MoveNext());
            Assert.Equal(UpdateOutcome.Accepted, other.ResponseStream.Current.Outcome);
            await other.RequestStream.CompleteAsync();
        }

        // The client cancels the first; the gateway sends nothing when that is done, so a new stream is tried until it opens.
        first.Dispose();
        var reopened = await OpenWhenFreedAsync(Case);
        reopened.Dispose();
    }

    [Fact]
    public async Task A_message_over_the_agencys_size_for_its_kind_is_resource_exhausted_with_the_field_and_other_agencies_keep_theirs()
    {
        var client = new ReferralService.ReferralServiceClient(_server.Channel);

        var status = await StatusAssert.Refused(
            () => client.SubmitReferralAsync(Samples.Referral(Sized, "CN/FJPSD"), GatewayServer.As(Sized)).ResponseAsync,
            StatusCode.ResourceExhausted,
            "(message)");

        Assert.Equal("AGENCY_MESSAGE_TOO_LARGE", status.GetDetail<ErrorInfo>()?.Reason);
        await client.SubmitReferralAsync(Samples.Referral("CN/MPS", "CN/FJPSD"), GatewayServer.As("CN/MPS"));
    }

    [Fact]
    public async Task Recipients_over_the_agencys_maximum_are_invalid_argument_on_the_recipients_field()
    {
        var referral = Samples.Referral(FewRecipients, "CN/FJPSD");
        referral.Header.Recipients.Add("CN/MPS");

        var status = await StatusAssert.Refused(
            () => new ReferralService.ReferralServiceClient(_server.Channel).SubmitReferralAsync(referral, GatewayServer.As(FewRecipients)).ResponseAsync,
            StatusCode.InvalidArgument,
            "header.recipients");

        Assert.Equal("AGENCY_RECIPIENTS_EXCEEDED", status.GetDetail<ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task Each_limit_is_audited_once_per_window_and_agency_with_the_count_of_the_hits_not_audited()
    {
        var client = new ReferralService.ReferralServiceClient(_server.Channel);
        var (_, refused) = await BurstAsync(client, Limited, 12, stopAtRefusal: false);
        for (var i = 0; i < 3; i++)
        {
            await StatusAssert.Refused(
                () => client.SubmitReferralAsync(Samples.Referral(Sized, "CN/FJPSD"), GatewayServer.As(Sized)).ResponseAsync,
                StatusCode.ResourceExhausted);
        }

        await _server.StopAsync();

        var audit = await _server.Store.ReadAuditAsync(default).ToListAsync();
        Assert.True(refused.Count >= 2, $"the burst must hit the limit more than once; it did {refused.Count} times");
        Assert.Single(audit, a => a.Kind == AuditKinds.IntakeRefused && a.Actor == Limited && a.Details.Reason == "agency_rate_limited");
        Assert.Single(audit, a => a.Kind == AuditKinds.IntakeRefused && a.Actor == Sized && a.Details.Reason == "agency_message_too_large");
        var rate = Assert.Single(audit, a => a.Kind == AuditKinds.IntakeRefusalsSuppressed && a.Details.Source == Limited);
        var size = Assert.Single(audit, a => a.Kind == AuditKinds.IntakeRefusalsSuppressed && a.Details.Source == Sized);
        Assert.Equal((Limited, "agency_rate_limited", (long)refused.Count - 1), (rate.Actor, rate.Details.Reason, rate.Details.Count));
        Assert.Equal((Sized, "agency_message_too_large", 2L), (size.Actor, size.Details.Reason, size.Details.Count));
    }

    /// <summary>Sends referrals as <paramref name="agency"/> one after another; stops at the first refusal unless told otherwise.</summary>
    private static async Task<(int Accepted, List<Google.Rpc.Status> Refused)> BurstAsync(
        ReferralService.ReferralServiceClient client, string agency, int calls, bool stopAtRefusal = true)
    {
        var accepted = 0;
        var refused = new List<Google.Rpc.Status>();
        for (var i = 0; i < calls && (!stopAtRefusal || refused.Count == 0); i++)
        {
            try
            {
                await client.SubmitReferralAsync(Samples.Referral(agency), GatewayServer.As(agency));
                accepted++;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.ResourceExhausted)
            {
                refused.Add(error.GetRpcStatus()!);
            }
        }

        return (accepted, refused);
    }

    private async Task<Subscriber> OpenWhenFreedAsync(string caseReference)
    {
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (true)
        {
            var subscriber = new Subscriber(_server.Channel, Subscribing, 0, caseReference);
            try
            {
                await subscriber.NextAsync();
                return subscriber;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
            {
                subscriber.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(25));
            }
        }
    }
}

/// <summary>What gatewayctl prints when an agency's bucket is empty: the reason, and when to try again.</summary>
public sealed class RateLimitedCliTests : IAsyncLifetime
{
    private readonly GatewayServer _server = new()
    {
        ExtraArguments = ["--Gateway:AgencyLimits:Default:PermitsPerSecond=1", "--Gateway:AgencyLimits:Default:Burst=1"],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_rate_limited_send_prints_the_reason_and_the_delay_the_gateway_gave()
    {
        var first = await Cli.Gatewayctl.RunAsync("send-referral", "--gateway", _server.Address);
        var limited = await Cli.Gatewayctl.RunAsync("send-referral", "--gateway", _server.Address);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(1, limited.ExitCode);
        Assert.StartsWith("error: ResourceExhausted", limited.Error);
        Assert.Contains("  reason: AGENCY_RATE_LIMITED", limited.Error);
        var delay = Assert.Single(limited.Error.Split('\n'), line => line.StartsWith("  retry after: ", StringComparison.Ordinal));
        var seconds = double.Parse(delay["  retry after: ".Length..].TrimEnd(' ', 's', '\r'), System.Globalization.CultureInfo.InvariantCulture);
        // One permit a second: the wait for the next token, plus the limiter's replenishment tick.
        Assert.InRange(seconds, 0.001, 1.0 + Gateway.Limits.AgencyRateLimits.ReplenishTick.TotalSeconds);
    }
}

/// <summary>Operators have no agency, and no agency's limits hold them back.</summary>
public sealed class OperatorLimitsTests : IAsyncLifetime
{
    private readonly GatewayServer _server = new()
    {
        ExtraArguments = ["--Gateway:AgencyLimits:Default:PermitsPerSecond=1", "--Gateway:AgencyLimits:Default:Burst=1"],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Operator_calls_beyond_every_agencys_bucket_all_succeed_while_an_agency_is_limited()
    {
        var operations = new OperationsService.OperationsServiceClient(_server.Channel);
        for (var i = 0; i < 5; i++)
        {
            await operations.ListDeadLettersAsync(new ListDeadLettersRequest(), OperatorFixtures.AsOperator());
        }

        var referrals = new ReferralService.ReferralServiceClient(_server.Channel);
        await referrals.SubmitReferralAsync(Samples.Referral(), GatewayServer.As("CN/PLO-RU"));
        await StatusAssert.Refused(
            () => referrals.SubmitReferralAsync(Samples.Referral(), GatewayServer.As("CN/PLO-RU")).ResponseAsync,
            StatusCode.ResourceExhausted);
    }
}
