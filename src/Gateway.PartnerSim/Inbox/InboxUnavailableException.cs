namespace Gateway.PartnerSim.Inbox;

/// <summary>The inbox could not apply a call's deliveries (commit failed, or shutting down); nothing of them was applied.</summary>
public sealed class InboxUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
