using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Intake;
using Gateway.Core.Routing;

namespace Gateway.Core.Agencies;

/// <summary>
/// The canonical form of a directory snapshot, from which its content hash is taken: a version tag, then the agencies
/// in id order and the route agreements in configured order (the order operators see), each field length-prefixed
/// (<c>5:CN/MP</c>) so that no two snapshots share a form. Sets of kinds are written in enum order, so the order they
/// were configured in does not change the hash; a route's place in the list does.
/// </summary>
public static class DirectoryCanonicalForm
{
    public const string Version = "LGD1";

    /// <summary>SHA-256 of the UTF-8 canonical form, lower-case hex.</summary>
    public static string Hash(AgencyDirectory directory) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Of(directory))));

    public static string Of(AgencyDirectory directory)
    {
        var form = new StringBuilder(Version);
        Field(form, "agencies", directory.Agencies.Count);
        foreach (var agency in directory.Agencies)
        {
            form.Append(Of(agency));
        }

        Field(form, "routes", directory.Routes.Agreements.Count);
        foreach (var route in directory.Routes.Agreements)
        {
            form.Append(Of(route));
        }

        // Left out when none is configured, so that the hash of a directory without any stays what it was.
        if (directory.SinglePointsOfContact.Count > 0)
        {
            Field(form, "single_points_of_contact", directory.SinglePointsOfContact.Count);
            foreach (var (country, agency) in directory.SinglePointsOfContact)
            {
                form.Append(Fields(country, agency.ToString()));
            }
        }

        return form.ToString();
    }

    /// <summary>One agency's fields; two snapshots hold the same agency when its forms are equal.</summary>
    public static string Of(Agency agency)
    {
        var form = Fields(
            agency.Id.ToString(),
            agency.Name,
            agency.Kind.ToString(),
            Kinds(agency.CompetentFor),
            agency.PostedIn ?? string.Empty,
            agency.Endpoint?.OriginalString ?? string.Empty,
            agency.Accepts is null ? "*" : Kinds(agency.Accepts));

        // Certificate paths only when configured, so that the hash of a directory without them stays what it was. The
        // files' contents are not in the form: replacing a certificate file is a rotation, not a directory change.
        return agency.ClientCertificate is null && agency.EndpointCertificate is null
            ? form
            : form + Fields("certificates", agency.ClientCertificate ?? string.Empty, agency.EndpointCertificate ?? string.Empty);
    }

    /// <summary>One route agreement's fields; two snapshots hold the same agreement when its forms are equal.</summary>
    public static string Of(RouteAgreement route) => Fields(
        route.Id,
        route.From.Text,
        route.To.Text,
        Kinds(route.Kinds),
        HandlingCodes.Name(route.MaxHandling));

    private static string Kinds(IEnumerable<MessageKind> kinds) => string.Join(",", kinds.Order());

    private static string Fields(params string[] values)
    {
        var form = new StringBuilder();
        foreach (var value in values)
        {
            form.Append(value.Length).Append(':').Append(value);
        }

        return form.ToString();
    }

    private static void Field(StringBuilder form, string name, int count) =>
        form.Append(name.Length).Append(':').Append(name).Append(count).Append(';');
}
