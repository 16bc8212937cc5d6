using System.Globalization;
using System.Text;
using Gateway.Audit;
using Gateway.Core.Intake;
using Grpc.Core;

namespace Gateway.Operations;

/// <summary>
/// The page token of an operator list: opaque to clients, it carries the position of the page's last entry, since
/// pages run by a position that only grows (a delivery id, a message's place in the store). An entry removed from the
/// list or added meanwhile never makes a page repeat or skip another. Each list has its own prefix, so the token of one
/// is refused by another.
/// </summary>
public sealed class PageToken
{
    public static readonly PageToken DeadLetters = new("dl1:", "ListDeadLetters");

    public static readonly PageToken HeldMessages = new("hm1:", "ListHeldMessages");

    /// <summary>Overdue replies run by due time and then delivery id: the token carries both.</summary>
    public static readonly PageToken Overdue = new("ov1:", "ListOverdue");

    /// <summary>A search runs by message position; the token carries the position and a fingerprint of the search's filter and order.</summary>
    public static readonly PageToken Search = new("sm1:", "SearchMessages");

    private readonly string _prefix;

    private PageToken(string prefix, string method)
    {
        _prefix = prefix;
        Invalid = new(
            StatusCode.InvalidArgument,
            "page_token",
            "The page token was not given out by this gateway for this list; send the next_page_token of the previous page, or none for the first page.",
            [new FieldError("page_token", $"must be the next_page_token of a previous {method} answer, or empty")]);
    }

    /// <summary>The refusal of a token this list did not give out.</summary>
    public CallRefusal Invalid { get; }

    public string Write(long lastPosition) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(_prefix + lastPosition.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The token of a list that runs by a pair of positions, e.g. a time and then an id.</summary>
    public string Write(long lastFirst, long lastSecond) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(
            _prefix + lastFirst.ToString(CultureInfo.InvariantCulture) + ":" + lastSecond.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Reads the position to continue after: 0 for an empty token; false when the token is not this list's.</summary>
    public bool TryRead(string token, out long afterPosition)
    {
        afterPosition = 0;
        return token.Length == 0
            || (TryReadText(token, out var text)
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out afterPosition)
                && afterPosition > 0);
    }

    /// <summary>Reads the pair of positions to continue after: (0, 0) for an empty token; false when the token is not this list's.</summary>
    public bool TryRead(string token, out long afterFirst, out long afterSecond)
    {
        afterFirst = 0;
        afterSecond = 0;
        if (token.Length == 0)
        {
            return true;
        }

        return TryReadText(token, out var text)
            && text.IndexOf(':') is var colon and > 0
            && long.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out afterFirst)
            && long.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out afterSecond)
            && afterSecond > 0;
    }

    /// <summary>The text after this list's prefix, when the token is base64 of it.</summary>
    private bool TryReadText(string token, out string text)
    {
        text = string.Empty;
        var bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token, bytes, out var length))
        {
            return false;
        }

        var decoded = Encoding.ASCII.GetString(bytes, 0, length);
        if (!decoded.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return false;
        }

        text = decoded[_prefix.Length..];
        return true;
    }
}
