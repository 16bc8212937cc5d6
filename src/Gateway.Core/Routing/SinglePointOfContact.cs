using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Interagency.V1;

namespace Gateway.Core.Routing;

/// <summary>
/// EU 2023/977 art. 4(1): a request an agency sends directly to an agency of another country is copied to its own
/// country's single point of contact, where the directory names one. The copy is a recipient like any other: it shows
/// in the receipt and passes the same route check.
/// </summary>
public static class SinglePointOfContact
{
    public const string Field = "header.recipients";

    /// <returns>
    /// The agency to add as a recipient (null when none is due), or the violation when no agreement lets the sender
    /// reach its single point of contact.
    /// </returns>
    public static (AgencyId? Copy, FieldError? Violation) For(
        AgencyDirectory directory, AgencyId sender, MessageKind kind, IReadOnlyCollection<AgencyId> recipients, HandlingCode handling)
    {
        if (kind is not (MessageKind.Referral or MessageKind.LocationRequest)
            || !directory.SinglePointsOfContact.TryGetValue(sender.Country, out var contact)
            || contact == sender
            || recipients.Contains(contact)
            || recipients.All(r => r.Country == sender.Country)
            || !directory.TryGet(contact, out var agency))
        {
            return (null, null);
        }

        return directory.CheckRoute(sender, agency, kind, handling) == RouteVerdict.Allowed
            ? (contact, null)
            : (null, new FieldError(
                Field,
                "may go abroad only with a copy to the sending country's single point of contact, and no route agreement lets this sender send it one"));
    }
}
