using System.Text.RegularExpressions;
using Interagency.V1;

namespace Gateway.Operations;

/// <summary>
/// What an operator call was about, for its audit entry: the filter, page size, delivery ids, the message reviewed and
/// the decision, or the message traced; never a reason's text
/// or any message content. A case filter is free text up to 64 characters, into which an operator may paste a name:
/// it is recorded only when it has the shape of a case reference, else as <c>case=(not a case reference)</c>.
/// </summary>
public static partial class OperatorCallScope
{
    /// <summary>What a case filter that is not shaped like a case reference is recorded as.</summary>
    public const string NotACaseReference = "(not a case reference)";

    public static string Describe(object? request) => request switch
    {
        ListDeadLettersRequest r => Join(Filter(r.Filter), $"page_size={r.PageSize}", r.PageToken.Length > 0 ? "next_page" : string.Empty),
        ReplayDeadLettersRequest r when r.DeliveryIds.Count > 0 => "ids=" + string.Join(',', r.DeliveryIds),
        ReplayDeadLettersRequest r => Filter(r.Filter) is { Length: > 0 } filter ? filter : "all",
        ListHeldMessagesRequest r => Join($"page_size={r.PageSize}", r.PageToken.Length > 0 ? "next_page" : string.Empty),
        ReviewHeldMessageRequest r => Join(Field("message", r.MessageId), $"decision={r.Decision}"),
        GetMessageTraceRequest r => Field("message", r.MessageId),
        GetMessageContentRequest r => Field("message", r.MessageId),
        SearchMessagesRequest r => Join(Filter(r.Filter), $"order={r.Order}", $"page_size={r.PageSize}", r.PageToken.Length > 0 ? "next_page" : string.Empty),
        WatchFlowRequest r => Join(
            Field("agency", r.Agency), Case(r.CaseReference), Field("kind", r.Kind),
            r.Status == DeliveryStatus.Unspecified ? string.Empty : $"status={r.Status}",
            r.HasAfterSequence ? $"after={r.AfterSequence}" : string.Empty),
        ListOverdueRequest r => Join(Field("sender", r.Sender), Field("recipient", r.Recipient), $"page_size={r.PageSize}", r.PageToken.Length > 0 ? "next_page" : string.Empty),
        _ => string.Empty,
    };

    private static string Filter(DeadLetterFilter? filter) =>
        filter is null
            ? string.Empty
            : Join(Field("recipient", filter.Recipient), Case(filter.CaseReference), Field("message", filter.MessageId));

    private static string Filter(MessageFilter? filter) =>
        filter is null
            ? string.Empty
            : Join(
                Case(filter.CaseReference), Field("sender", filter.Sender), Field("recipient", filter.Recipient), Field("kind", filter.Kind),
                filter.Status == DeliveryStatus.Unspecified ? string.Empty : $"status={filter.Status}",
                filter.AcceptedFrom is { } from ? $"from={from.ToDateTimeOffset():O}" : string.Empty,
                filter.AcceptedUntil is { } until ? $"until={until.ToDateTimeOffset():O}" : string.Empty);

    private static string Case(string filter) =>
        filter.Length == 0 ? string.Empty : "case=" + (CaseReferenceShape().IsMatch(filter) ? filter : NotACaseReference);

    private static string Field(string name, string value) => value.Length == 0 ? string.Empty : $"{name}={value}";

    private static string Join(params string[] parts) => string.Join(' ', parts.Where(p => p.Length > 0));

    // The shape of Header.case_reference (protos/interagency/v1/common.proto); the filters only limit the length.
    [GeneratedRegex("^[A-Z0-9][A-Z0-9._/-]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex CaseReferenceShape();
}
