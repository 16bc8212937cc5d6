namespace Gateway.Core.Audit;

/// <summary>The last sequence and hash of the log, kept beside it so that a removed tail is noticed too.</summary>
public sealed record AuditHead(long Sequence, byte[] Hash);
