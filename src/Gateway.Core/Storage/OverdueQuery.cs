namespace Gateway.Core.Storage;

/// <summary>
/// Which overdue replies to list; null fields match everything. Pages run by due time and then delivery id, most
/// overdue first: a page continues after (<paramref name="AfterDue"/>, <paramref name="AfterDeliveryId"/>).
/// </summary>
public sealed record OverdueQuery(string? Sender, string? Recipient, DateTimeOffset AfterDue, long AfterDeliveryId, int Limit);
