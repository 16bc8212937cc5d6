namespace Gateway.Core.Storage;

/// <summary>Which dead letters to list or replay; null fields match everything. Pages run by delivery id.</summary>
public sealed record DeadLetterQuery(string? Recipient, string? CaseReference, string? MessageId, long AfterDeliveryId = 0, int Limit = 50);
