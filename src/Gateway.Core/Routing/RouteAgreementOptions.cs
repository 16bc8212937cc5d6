namespace Gateway.Core.Routing;

/// <summary>
/// One configured route agreement (section <c>Gateway:Directory:Routes</c>). Values are kept as text so that a typo is
/// reported with the entry it is in, not as a bare conversion error.
/// </summary>
public sealed class RouteAgreementOptions
{
    /// <summary>
    /// Names the agreement in the audit of directory changes; left out, it is <c>From -&gt; To</c>. Two agreements between
    /// the same parties need ids of their own.
    /// </summary>
    public string? Id { get; set; }

    /// <summary>Sender: an agency id, an agency kind or <c>*</c>.</summary>
    public string From { get; set; } = string.Empty;

    /// <summary>Recipient: an agency id, a country, an agency kind or <c>*</c>.</summary>
    public string To { get; set; } = string.Empty;

    /// <summary>Message kinds the route carries, e.g. <c>Referral</c>.</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>Most restrictive handling code allowed on the route: <c>H0</c> to <c>H3</c>.</summary>
    public string MaxHandling { get; set; } = string.Empty;
}
