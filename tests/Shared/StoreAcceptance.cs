using Gateway.Core.Intake;
using Gateway.Core.Lifecycle;
using Gateway.Core.Storage;

namespace Gateway.Tests.Shared;

/// <summary>
/// Accepts a message straight through a store, as intake does once its rules and routing passed: reads what the message
/// answers, lets <see cref="IntakeLifecycle"/> decide, and applies the change set. For tests that need stored messages
/// without the wire, and for the store's own tests of what it applies.
/// </summary>
public static class StoreAcceptance
{
    public static async Task<Acceptance> AcceptAsync(this IIntakeStore store, NewMessage message, CancellationToken cancellationToken)
    {
        var decision = IntakeLifecycle.Accept(
            message, message.Link is { } link ? await ReadAnsweredAsync(store, link, message.Sender.ToString(), cancellationToken) : null);
        return decision.Changes is { } changes
            ? new Acceptance(decision, await store.AcceptAsync(changes, cancellationToken))
            : new Acceptance(decision, null);
    }

    /// <summary>What intake's router reads of the message a reply-type message acts on.</summary>
    private static async Task<AnsweredMessage> ReadAnsweredAsync(IIntakeStore store, MessageLink link, string sender, CancellationToken cancellationToken)
    {
        if (link.Kind is LinkKind.ReleaseHold or LinkKind.CancelHold)
        {
            return AnsweredMessage.Referral(await store.FindHoldAsync(link.TargetMessageId, cancellationToken) ?? throw new InvalidOperationException("No hold."));
        }

        var request = await store.FindMessageAsync(link.TargetMessageId, cancellationToken) ?? throw new InvalidOperationException("No request.");
        return link.Kind == LinkKind.Withdraw
            ? AnsweredMessage.Request(request, await store.GetDeliveriesAsync(link.TargetMessageId, cancellationToken))
            : AnsweredMessage.Replied(request, await store.IsReplyAwaitedAsync(link.TargetMessageId, sender, cancellationToken));
    }
}

/// <summary>What the lifecycle decided for a message and, if it accepted it, what the store did with the change set.</summary>
public sealed record Acceptance(AcceptDecision Decision, ChangeOutcome? Outcome)
{
    /// <summary>The change set was applied: the message is stored.</summary>
    public bool Applied => Outcome is { Applied: true };

    /// <summary>The precondition the store found no longer held, if any.</summary>
    public Precondition? Failed => Outcome?.Failed;

    public IntakeRefusal? Refusal => Decision.Refusal;

    public AcceptanceReceipt? Receipt => Applied ? Decision.ReceiptOf(Outcome!) : null;
}
