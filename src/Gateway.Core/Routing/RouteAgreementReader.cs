using Gateway.Core.Agencies;
using Gateway.Core.Intake;

namespace Gateway.Core.Routing;

/// <summary>Turns a configured agreement into a <see cref="RouteAgreement"/>, or says what is wrong with it.</summary>
public static class RouteAgreementReader
{
    /// <summary>Names an entry in validation failures: its position and its parties, as written.</summary>
    public static string Describe(int index, RouteAgreementOptions options) =>
        $"Route {index} ('{options.From}' -> '{options.To}')";

    /// <summary>The agreement's id: as configured, else <c>From -&gt; To</c>.</summary>
    public static string IdOf(RouteAgreementOptions options) =>
        string.IsNullOrEmpty(options.Id) ? RouteAgreement.DefaultId(options.From, options.To) : options.Id;

    /// <returns>The problems found in the entry itself, empty when <paramref name="agreement"/> is set.</returns>
    public static IReadOnlyList<string> TryRead(RouteAgreementOptions options, out RouteAgreement? agreement)
    {
        agreement = null;
        var problems = new List<string>();
        if (!PartyPattern.TryParseSender(options.From, out var from))
        {
            problems.Add("From must be an agency id (e.g. CN/MPS), an agency kind (Domestic, LiaisonOffice, ForeignPartner, InterpolNcb) or *.");
        }

        if (!PartyPattern.TryParseRecipient(options.To, out var to))
        {
            problems.Add("To must be an agency id (e.g. RU/MVD), a country code (e.g. RU), an agency kind or *.");
        }

        var kinds = new List<MessageKind>(options.Kinds.Count);
        foreach (var text in options.Kinds)
        {
            if (ConfiguredNames.TryParse<MessageKind>(text, out var kind))
            {
                kinds.Add(kind);
            }
            else
            {
                problems.Add($"Kinds: '{text}' is not a message kind; use {ConfiguredNames.List<MessageKind>()}.");
            }
        }

        if (options.Kinds.Count == 0)
        {
            problems.Add("Kinds must list at least one message kind.");
        }

        if (!HandlingCodes.TryParse(options.MaxHandling, out var maxHandling))
        {
            problems.Add("MaxHandling must be H0, H1, H2 or H3 (the most restrictive handling code allowed on the route).");
        }

        if (problems.Count == 0)
        {
            agreement = new RouteAgreement(from, to, kinds.Distinct().ToArray(), maxHandling) { Id = IdOf(options) };
        }

        return problems;
    }

    /// <summary>Reads an entry that the validators have already accepted.</summary>
    public static RouteAgreement Read(RouteAgreementOptions options, int index)
    {
        var problems = TryRead(options, out var agreement);
        return agreement ?? throw new InvalidOperationException($"{Describe(index, options)}: {string.Join(" ", problems)}");
    }
}
