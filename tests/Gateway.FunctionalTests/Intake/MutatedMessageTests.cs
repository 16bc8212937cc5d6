using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gateway.Contracts.Validation;
using Gateway.FunctionalTests.Infrastructure;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Interagency.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Intake;

/// <summary>
/// Valid messages, their encoding mutated at random (bits flipped, bytes inserted and deleted, truncated, runs repeated,
/// fields set to extreme values or another wire type), sent to a real gateway over gRPC. The gateway never answers
/// UNKNOWN or INTERNAL, and whatever it accepts, the schema validator alone accepts too. FsCheck prints the seed and the
/// shrunk mutations of a failure; 200 cases per message type.
/// </summary>
public sealed class MutatedMessageTests(MutatedMessageTests.Gateway gateway) : IClassFixture<MutatedMessageTests.Gateway>
{
    private const int Cases = 200;

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    [Property(MaxTest = Cases)]
    public Property Referrals() => Holds(() => Samples.Referral(), ReferralService.Descriptor.FindMethodByName("SubmitReferral"));

    [Property(MaxTest = Cases)]
    public Property Location_requests() => Holds(() => Samples.LocationRequest(), FugitiveService.Descriptor.FindMethodByName("RequestLocation"));

    [Property(MaxTest = Cases)]
    public Property Location_reports() => Holds(
        () => new ReportLocationRequest
        {
            Header = Samples.Header("RU/MVD"),
            Report = new LocationReport
            {
                RequestMessageId = gateway.LocationRequestId,
                Outcome = LocationOutcome.Sighted,
                Location = new Location { Country = "RU", Place = "Moscow", Latitude = 55.75, Longitude = 37.61 },
                ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
                Remarks = "seen at the railway station",
            },
        },
        FugitiveService.Descriptor.FindMethodByName("ReportLocation"));

    [Property(MaxTest = Cases)]
    public Property Withdrawals() => Holds(
        () => new WithdrawRequestRequest
        {
            Header = Samples.Header("CN/MPS"),
            Withdrawal = new Withdrawal { RequestMessageId = gateway.LocationRequestId, Reason = WithdrawalReason.Returned, Remarks = "returned" },
        },
        FugitiveService.Descriptor.FindMethodByName("WithdrawRequest"));

    [Property(MaxTest = Cases)]
    public Property Hold_releases() => Holds(
        () => new ReleaseHoldRequest
        {
            Header = Samples.Header("RU/MVD"),
            Release = new HoldRelease { ReferralMessageId = gateway.HeldReferralId, Remarks = "victim freed" },
        },
        ReferralService.Descriptor.FindMethodByName("ReleaseHold"));

    [Property(MaxTest = Cases)]
    public Property Case_updates() => Prop.ForAll(ByteMutation.For(PublishUpdatesRequest.Descriptor), mutations =>
        Task.Run(async () =>
        {
            var bytes = Mutate(Samples.StatusUpdate("AR/PFA", gateway.CaseReference), mutations);
            using var call = gateway.Server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(
                new Method<byte[], byte[]>(MethodType.DuplexStreaming, CaseUpdateService.Descriptor.FullName, "PublishUpdates", Raw, Raw),
                null,
                new CallOptions(GatewayServer.As("AR/PFA"), DateTime.UtcNow.AddSeconds(30)));
            await call.RequestStream.WriteAsync(bytes);
            await call.RequestStream.CompleteAsync();
            try
            {
                await foreach (var answer in call.ResponseStream.ReadAllAsync())
                {
                    var ack = PublishUpdatesResponse.Parser.ParseFrom(answer);
                    if (ack.Outcome is UpdateOutcome.Accepted or UpdateOutcome.Duplicate)
                    {
                        AssertValid(PublishUpdatesRequest.Descriptor, bytes);
                    }
                }
            }
            catch (RpcException e)
            {
                AssertNotAFault(e);
            }
        }).GetAwaiter().GetResult());

    /// <summary>Each case mutates a fresh sample (a new message id) and sends it as the sample's sender.</summary>
    private Property Holds<T>(Func<T> sample, MethodDescriptor method)
        where T : IMessage => Prop.ForAll(ByteMutation.For(method.InputType), mutations =>
        Task.Run(async () =>
        {
            var message = sample();
            var bytes = Mutate(message, mutations);
            var sender = ((Header)message.Descriptor.FindFieldByName("header").Accessor.GetValue(message)).Sender;
            try
            {
                await gateway.Server.Channel.CreateCallInvoker().AsyncUnaryCall(
                    new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Raw, Raw),
                    null,
                    new CallOptions(GatewayServer.As(sender), DateTime.UtcNow.AddSeconds(30)),
                    bytes);
                AssertValid(method.InputType, bytes);
            }
            catch (RpcException e)
            {
                AssertNotAFault(e);
            }
        }).GetAwaiter().GetResult());

    private static byte[] Mutate(IMessage message, ByteMutation[] mutations) =>
        mutations.Aggregate(message.ToByteArray(), (bytes, mutation) => mutation.Apply(bytes));

    private void AssertValid(MessageDescriptor type, byte[] bytes)
    {
        var accepted = type.Parser.ParseFrom(bytes);
        Assert.Empty(gateway.Validator.Validate(accepted));
        Assert.Empty(gateway.Validator.ValidateWithProtovalidate(accepted));
    }

    private static void AssertNotAFault(RpcException e) =>
        Assert.True(e.StatusCode is not (StatusCode.Unknown or StatusCode.Internal), $"{e.StatusCode}: {e.Status.Detail}");

    /// <summary>One gateway for every case, with a location request and a held referral for the replies to answer.</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        public GatewayServer Server { get; } = new();

        public SchemaValidator Validator => Server.Services.GetRequiredService<SchemaValidator>();

        public string LocationRequestId { get; private set; } = string.Empty;

        public string HeldReferralId { get; private set; } = string.Empty;

        public string CaseReference { get; } = "AR-PFA-2026-0900";

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            var location = Samples.LocationRequest();
            await new FugitiveService.FugitiveServiceClient(Server.Channel).RequestLocationAsync(location, GatewayServer.As("CN/MPS"));
            LocationRequestId = location.Header.MessageId;
            var referrals = new ReferralService.ReferralServiceClient(Server.Channel);
            var held = Samples.Referral();
            await referrals.SubmitReferralAsync(held, GatewayServer.As(held.Header.Sender));
            HeldReferralId = held.Header.MessageId;
            await referrals.SubmitReferralAsync(Samples.CaseOpening("AR/PFA", "CN/MPS", CaseReference), GatewayServer.As("AR/PFA"));
        }

        public Task DisposeAsync() => Server.DisposeAsync();
    }
}
