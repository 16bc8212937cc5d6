using Gateway.Core.Intake;
using Gateway.Core.Messages;
using Interagency.V1;

namespace Gateway.Core.Storage;

/// <summary>
/// A recipient's refusal of a delivered message, or its question about it, with what the notice to the message's sender
/// is made from: the message's kind and header, and when the gateway took the answer.
/// </summary>
/// <param name="Kind">The kind of the message answered.</param>
/// <param name="Message">The header of the message answered, as its sender sent it.</param>
/// <param name="At">When the gateway received the answer.</param>
public sealed record EndpointAnswer(MessageKind Kind, Header Message, DateTimeOffset At)
{
    /// <summary>The refusal, for <see cref="DeliveryResolution.Refused"/>.</summary>
    public EndpointRefusal? Refusal { get; init; }

    /// <summary>The question, for <see cref="DeliveryResolution.ClarificationRequested"/>.</summary>
    public string? Question { get; init; }

    /// <summary>The trace context stored with the message answered: the notice to its sender joins that trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>A refusal of the message <paramref name="claimed"/> carried.</summary>
    public static EndpointAnswer Refused(ClaimedDelivery claimed, EndpointRefusal refusal, DateTimeOffset at) =>
        new(claimed.Kind, HeaderOf(claimed), at) { Refusal = refusal.Clone(), TraceParent = claimed.TraceParent };

    /// <summary>A question about the message <paramref name="claimed"/> carried.</summary>
    public static EndpointAnswer Asked(ClaimedDelivery claimed, string question, DateTimeOffset at) =>
        new(claimed.Kind, HeaderOf(claimed), at) { Question = question, TraceParent = claimed.TraceParent };

    /// <summary>The machine-readable name of a refusal reason, as audited: <c>legal_grounds</c> for LEGAL_GROUNDS.</summary>
    public static string ReasonName(EndpointRefusalReason reason)
    {
        const string Prefix = "ENDPOINT_REFUSAL_REASON_";
        var value = EndpointRefusal.Descriptor.FindFieldByNumber(EndpointRefusal.ReasonFieldNumber).EnumType.FindValueByNumber((int)reason)
            ?? throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a refusal reason of the contract.");
        return value.Name[Prefix.Length..].ToLowerInvariant();
    }

    private static Header HeaderOf(ClaimedDelivery claimed)
    {
        var kind = KindRequests.For(claimed.Kind);
        return kind.HeaderOf(kind.Parser.ParseFrom(claimed.Payload));
    }
}
