namespace Gateway.Core.Lifecycle;

/// <summary>Marks a location request answered at the change set's time: its reply-by no longer makes it overdue.</summary>
public sealed record AnswerRequest(string RequestMessageId) : RowChange;
