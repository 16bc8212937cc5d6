using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Interagency.V1;

namespace Gateway.Core.Routing;

/// <summary>Turns a configured agreement into a <see cref="RouteAgreement"/>, or says what is wrong with it.</summary>
public static class RouteAgreementReader
{
    /// <summary>Names an entry in start-up errors: its position and its parties, as written.</summary>
    public static string Describe(int index, RouteAgreementOptions options) =>
        $"Route {index} ('{options.From}' -> '{options.To}')";

    /// <returns>The problems found, empty when <paramref name="agreement"/> is set.</returns>
    public static IReadOnlyList<string> TryRead(
        RouteAgreementOptions options, IReadOnlySet<AgencyId> knownAgencies, out RouteAgreement? agreement)
    {
        agreement = null;
        var problems = new List<string>();
        if (!PartyPattern.TryParseSender(options.From, out var from))
        {
            problems.Add("From must be an agency id (e.g. CN/MPS), an agency kind (Domestic, LiaisonOffice, ForeignPartner, InterpolNcb) or *.");
        }
        else
        {
            CheckKnown(from, "From", knownAgencies, problems);
        }

        if (!PartyPattern.TryParseRecipient(options.To, out var to))
        {
            problems.Add("To must be an agency id (e.g. RU/MVD), a country code (e.g. RU), an agency kind or *.");
        }
        else
        {
            CheckKnown(to, "To", knownAgencies, problems);
        }

        var kinds = new List<MessageKind>(options.Kinds.Count);
        foreach (var text in options.Kinds)
        {
            if (IsKindName(text, out var kind))
            {
                kinds.Add(kind);
            }
            else
            {
                problems.Add($"Kinds: '{text}' is not a message kind; use {string.Join(", ", Enum.GetNames<MessageKind>())}.");
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
            agreement = new RouteAgreement(from, to, kinds.Distinct().ToArray(), maxHandling);
        }

        return problems;
    }

    /// <summary>Reads an entry that the validator has already accepted.</summary>
    public static RouteAgreement Read(int index, RouteAgreementOptions options, IReadOnlySet<AgencyId> knownAgencies)
    {
        var problems = TryRead(options, knownAgencies, out var agreement);
        return agreement ?? throw new InvalidOperationException($"{Describe(index, options)}: {string.Join(" ", problems)}");
    }

    private static void CheckKnown(PartyPattern pattern, string side, IReadOnlySet<AgencyId> knownAgencies, List<string> problems)
    {
        if (pattern.NamedAgency is { } id && !knownAgencies.Contains(id))
        {
            problems.Add($"{side} names agency '{id}', which is not in the directory.");
        }
    }

    private static bool IsKindName(string? text, out MessageKind kind)
    {
        kind = default;
        return text is { Length: > 0 } && char.IsAsciiLetterUpper(text[0])
            && Enum.TryParse(text, ignoreCase: false, out kind) && Enum.IsDefined(kind);
    }
}
