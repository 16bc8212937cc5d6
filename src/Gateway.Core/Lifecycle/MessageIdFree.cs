namespace Gateway.Core.Lifecycle;

/// <summary>
/// No message is stored under this id yet. Checked first, so that a message sent again is recognised as such before any
/// decision about what it finds: intake then answers a replay with its stored receipt, or refuses an id reused.
/// </summary>
public sealed record MessageIdFree(string MessageId) : Precondition;
