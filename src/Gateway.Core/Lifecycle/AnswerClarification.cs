namespace Gateway.Core.Lifecycle;

/// <summary>
/// The question a recipient asked on this delivery is answered (<see cref="Storage.DeliveryState.ClarificationAnswered"/>):
/// no second answer is taken.
/// </summary>
public sealed record AnswerClarification(long DeliveryId) : RowChange;
