namespace Gateway.Tests.Shared;

/// <summary>A notice from the gateway as the agency kept it: its kind, the message and recipient it is about, and its text.</summary>
/// <param name="Text">The refusal's text or the question, if any.</param>
public sealed record PartnerNotice(string MessageId, string Kind, string AboutMessageId, string Recipient, string? Reason, string? Text);
