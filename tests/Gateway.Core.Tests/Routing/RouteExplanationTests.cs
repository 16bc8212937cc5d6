using Gateway.Core.Agencies;
using Gateway.Core.Audit;
using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Gateway.Tests.Shared;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Routing;

/// <summary>Why intake chose each recipient of an addressed message, as its acceptance records it.</summary>
public sealed class RouteExplanationTests
{
    [Fact]
    public void Each_recipient_records_how_it_was_resolved_what_the_sender_named_and_the_agreement_that_allowed_it()
    {
        var request = Samples.LocationRequest("RU", "TH", "DE", "US");
        request.Header.Recipients[3] = "US/FBI";

        var outcome = Check(SampleDirectory.Create(), request);

        Assert.Null(outcome.Refusal);
        Assert.Equal(
            [
                new AuditRoute("RU/MVD", RouteReasons.CompetentAgency, "RU", "Domestic -> ForeignPartner"),
                new AuditRoute("CN/PLO-TH", RouteReasons.LiaisonOffice, "TH", "Domestic -> CN"),
                new AuditRoute("CN/NCB", RouteReasons.InterpolNcb, "DE", "Domestic -> CN"),
                new AuditRoute("US/FBI", RouteReasons.NamedAgency, null, "Domestic -> ForeignPartner"),
            ],
            outcome.Routes);
        Assert.Equal(outcome.Recipients.Select(r => r.ToString()), outcome.Routes.Select(r => r.Recipient));
    }

    [Fact]
    public void The_copy_to_the_senders_single_point_of_contact_is_recorded_as_such()
    {
        var options = SampleDirectory.CreateOptions();
        options.SinglePointsOfContact["CN"] = "CN/NCB";
        var request = Samples.LocationRequest("RU");

        var outcome = Check(AgencyDirectory.FromOptions(options), request);

        Assert.Equal(
            [
                new AuditRoute("RU/MVD", RouteReasons.CompetentAgency, "RU", "Domestic -> ForeignPartner"),
                new AuditRoute("CN/NCB", RouteReasons.SinglePointOfContact, null, "Domestic -> CN"),
            ],
            outcome.Routes);
    }

    [Fact]
    public void A_recipient_named_twice_is_one_route()
    {
        var request = Samples.LocationRequest("RU");
        request.Header.Recipients.Add("RU/MVD");

        var route = Assert.Single(Check(SampleDirectory.Create(), request).Routes);

        Assert.Equal(("RU/MVD", RouteReasons.CompetentAgency), (route.Recipient, route.Reason));
    }

    [Fact]
    public void Routes_are_stored_in_the_audit_details_as_snake_case_and_read_back()
    {
        var details = new AuditDetails { Routes = [new AuditRoute("CN/PLO-TH", RouteReasons.LiaisonOffice, "TH", "Domestic -> CN")], DurationUs = 1500 };

        var stored = details.Serialize();

        Assert.Equal(
            """{"v":2,"routes":[{"recipient":"CN/PLO-TH","reason":"liaison_office","addressed":"TH","agreement":"Domestic -> CN"}],"duration_us":1500}""",
            stored);
        Assert.Equal(details, AuditDetails.Parse(stored));
    }

    private static RuleOutcome Check(AgencyDirectory directory, RequestLocationRequest request) =>
        new IntakeRules(new AgencyDirectoryProvider(directory), Options.Create(new IntakeLimits()), TimeProvider.System)
            .Check(MessageKind.LocationRequest, request.Header, request, AgencyId.Parse(request.Header.Sender));
}
