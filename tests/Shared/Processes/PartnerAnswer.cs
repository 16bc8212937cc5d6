namespace Gateway.Tests.Shared;

/// <summary>A delivery the agency answered with a refusal (<c>refused</c>) or a question (<c>clarification_requested</c>).</summary>
public sealed record PartnerAnswer(string MessageId, string DeliveryId, string PayloadKind, string Outcome, uint Attempt);
