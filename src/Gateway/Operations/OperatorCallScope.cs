using Interagency.V1;

namespace Gateway.Operations;

/// <summary>
/// What an operator call was about, for its audit entry: the filter, page size, delivery ids, the message reviewed and
/// the decision, or the message traced; never a reason's text
/// or any message content.
/// </summary>
public static class OperatorCallScope
{
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
            Field("agency", r.Agency), Field("case", r.CaseReference), Field("kind", r.Kind),
            r.Status == DeliveryStatus.Unspecified ? string.Empty : $"status={r.Status}",
            r.HasAfterSequence ? $"after={r.AfterSequence}" : string.Empty),
        ListOverdueRequest r => Join(Field("sender", r.Sender), Field("recipient", r.Recipient), $"page_size={r.PageSize}", r.PageToken.Length > 0 ? "next_page" : string.Empty),
        _ => string.Empty,
    };

    private static string Filter(DeadLetterFilter? filter) =>
        filter is null
            ? string.Empty
            : Join(Field("recipient", filter.Recipient), Field("case", filter.CaseReference), Field("message", filter.MessageId));

    private static string Filter(MessageFilter? filter) =>
        filter is null
            ? string.Empty
            : Join(
                Field("case", filter.CaseReference), Field("sender", filter.Sender), Field("recipient", filter.Recipient), Field("kind", filter.Kind),
                filter.Status == DeliveryStatus.Unspecified ? string.Empty : $"status={filter.Status}",
                filter.AcceptedFrom is { } from ? $"from={from.ToDateTimeOffset():O}" : string.Empty,
                filter.AcceptedUntil is { } until ? $"until={until.ToDateTimeOffset():O}" : string.Empty);

    private static string Field(string name, string value) => value.Length == 0 ? string.Empty : $"{name}={value}";

    private static string Join(params string[] parts) => string.Join(' ', parts.Where(p => p.Length > 0));
}
