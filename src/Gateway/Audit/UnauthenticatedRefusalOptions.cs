namespace Gateway.Audit;

/// <summary>
/// How many refusals of unidentified callers are audited one by one (section
/// <c>Gateway:Audit:UnauthenticatedRefusals</c>): per source (remote address) and fixed window, the first
/// <see cref="PermitsPerWindow"/> get their own entry; the rest are counted into one entry when the window closes.
/// </summary>
public sealed class UnauthenticatedRefusalOptions
{
    public const string Section = "Gateway:Audit:UnauthenticatedRefusals";

    /// <summary>Refusals audited one by one per source and window; 0 audits only the counts.</summary>
    public int PermitsPerWindow { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sources counted apart at once; refusals from further sources share one "other" count until windows close. Bounds
    /// the memory a flood from many addresses can take.
    /// </summary>
    public int MaxSources { get; set; } = 1024;
}
