namespace Gateway.Core.Trace;

/// <summary>Who asks for a trace: an operator, who sees every message, or an agency, which sees its own.</summary>
/// <param name="Actor">How the audit log names the viewer: <c>operator:NAME</c> or the agency id.</param>
/// <param name="Agency">The agency id of an agency viewer; null for an operator.</param>
public sealed record TraceViewer(string Actor, string? Agency)
{
    public static TraceViewer Operator(string actor) => new(actor, null);

    public static TraceViewer OfAgency(string agency) => new(agency, agency);

    public bool IsOperator => Agency is null;
}
