namespace Gateway.Core.Routing;

/// <summary>How a recipient of a message was chosen; stable strings, since they are hashed in the audit log.</summary>
public static class RouteReasons
{
    /// <summary>The sender named the agency.</summary>
    public const string NamedAgency = "named_agency";

    /// <summary>The sender named a country; the agency is its competent agency for the kind.</summary>
    public const string CompetentAgency = "competent_agency";

    /// <summary>The sender named a country with no competent agency; the agency is the liaison office posted there.</summary>
    public const string LiaisonOffice = "liaison_office";

    /// <summary>The sender named a country with neither; the agency is an Interpol NCB competent for the kind.</summary>
    public const string InterpolNcb = "interpol_ncb";

    /// <summary>A case update: the agency is a party of the case.</summary>
    public const string CaseParty = "case_party";

    /// <summary>A reply, withdrawal, release or answer: the agency takes part in the message it links to.</summary>
    public const string Reply = "reply";

    /// <summary>A copy to the sending country's single point of contact.</summary>
    public const string SinglePointOfContact = "single_point_of_contact";

    /// <summary>A notice the gateway issued to a sender.</summary>
    public const string GatewayNotice = "gateway_notice";
}
