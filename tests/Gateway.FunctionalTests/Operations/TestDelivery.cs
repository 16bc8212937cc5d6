using System.Globalization;

namespace Gateway.FunctionalTests.Operations;

/// <summary>A delivery a test made through the store: its id and the message it carries.</summary>
internal sealed record TestDelivery(long Id, string MessageId)
{
    /// <summary>The id as the wire writes it.</summary>
    public string Text => Id.ToString(CultureInfo.InvariantCulture);
}
