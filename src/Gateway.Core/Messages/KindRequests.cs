using Gateway.Core.Intake;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Interagency.V1;

namespace Gateway.Core.Messages;

/// <summary>
/// The one table of message kinds against the wire: for each kind, the request its sender submits (and the store keeps
/// as bytes), the RPC that submits it, and how it travels to an endpoint inside a <see cref="DeliverRequest"/>.
/// </summary>
public static class KindRequests
{
    public static readonly IReadOnlyList<KindRequest> All =
    [
        Of<SubmitReferralRequest>(MessageKind.Referral, ReferralService.Descriptor, "SubmitReferral", r => r.Header, (r, d) => d.Referral = r.Referral),
        Of<RequestLocationRequest>(MessageKind.LocationRequest, FugitiveService.Descriptor, "RequestLocation", r => r.Header, (r, d) => d.LocationRequest = r.Request),
        Of<ReportLocationRequest>(MessageKind.LocationReport, FugitiveService.Descriptor, "ReportLocation", r => r.Header, (r, d) => d.LocationReport = r.Report),
        Of<WithdrawRequestRequest>(MessageKind.Withdrawal, FugitiveService.Descriptor, "WithdrawRequest", r => r.Header, (r, d) => d.Withdrawal = r.Withdrawal),
        Of<PublishUpdatesRequest>(MessageKind.CaseUpdate, CaseUpdateService.Descriptor, "PublishUpdates", r => r.Header, (r, d) => d.CaseUpdate = r.Update),
        Of<ReleaseHoldRequest>(MessageKind.HoldRelease, ReferralService.Descriptor, "ReleaseHold", r => r.Header, (r, d) => d.HoldRelease = r.Release),
        Of<CancelHoldRequest>(MessageKind.HoldCancellation, ReferralService.Descriptor, "CancelHold", r => r.Header, (r, d) => d.HoldCancellation = r.Cancellation),
        Of<AnswerReferralRequest>(MessageKind.ReferralAnswer, ReferralService.Descriptor, "AnswerReferral", r => r.Header, (r, d) => d.ReferralAnswer = r.Answer),
        Of<AnswerClarificationRequest>(
            MessageKind.ClarificationAnswer, ClarificationService.Descriptor, "AnswerClarification", r => r.Header, (r, d) => d.ClarificationAnswer = r.Answer),
        Of<GatewayNotice>(MessageKind.Notice, null, null, r => r.Header, (r, d) => d.Notice = r.Notice),
    ];

    private static readonly Dictionary<MessageKind, KindRequest> ByKind = All.ToDictionary(k => k.Kind);

    /// <summary>The entry of <paramref name="kind"/>; every kind has one.</summary>
    public static KindRequest For(MessageKind kind) =>
        ByKind.TryGetValue(kind, out var entry) ? entry : throw new InvalidOperationException($"No request type for message kind {kind}.");

    /// <param name="service">The service agencies submit the kind through; null for a kind only the gateway makes.</param>
    private static KindRequest Of<T>(
        MessageKind kind, ServiceDescriptor? service, string? method, Func<T, Header> header, Action<T, DeliverRequest> body)
        where T : IMessage<T>, new()
    {
        if (service is not null && service.FindMethodByName(method).InputType != new T().Descriptor)
        {
            throw new InvalidOperationException($"{service.FullName}/{method} does not take {typeof(T).Name}.");
        }

        return new KindRequest(
            kind,
            new MessageParser<T>(() => new T()),
            service is null ? null : $"/{service.FullName}/{method}",
            request => header((T)request),
            (request, delivery) =>
            {
                delivery.Header = header((T)request);
                body((T)request, delivery);
            });
    }
}

/// <summary>One message kind on the wire.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Parser">Reads the request as submitted, e.g. from the store's bytes.</param>
/// <param name="Rpc">
/// The gRPC method path that submits it, e.g. <c>/interagency.v1.ReferralService/SubmitReferral</c>; null for a notice,
/// which only the gateway makes.
/// </param>
/// <param name="HeaderOf">The request's header.</param>
/// <param name="FillDelivery">Puts the request's header and body into a <see cref="DeliverRequest"/>.</param>
public sealed record KindRequest(
    MessageKind Kind, MessageParser Parser, string? Rpc, Func<IMessage, Header> HeaderOf, Action<IMessage, DeliverRequest> FillDelivery);
