namespace Gateway.Core.Lifecycle;

/// <summary>Marks a location request withdrawn at the change set's time: replies to it are late from then on.</summary>
public sealed record WithdrawRequest(string RequestMessageId) : RowChange;
