using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Interagency.V1;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Tests.Routing;

/// <summary>The optional copy of a request abroad to the sending country's single point of contact (EU 2023/977 art. 4(1)).</summary>
public sealed class SinglePointOfContactTests
{
    [Fact]
    public void A_request_abroad_is_copied_to_the_senders_single_point_of_contact_as_a_recipient()
    {
        var request = Samples.LocationRequest("RU");

        var outcome = Check(Directory(("CN", "CN/NCB")), MessageKind.LocationRequest, request.Header, request);

        Assert.Null(outcome.Refusal);
        Assert.Equal(["RU/MVD", "CN/NCB"], outcome.Recipients.Select(r => r.ToString()));
    }

    [Fact]
    public void A_request_within_the_country_a_contact_sending_itself_and_a_directory_without_contacts_copy_nobody()
    {
        var domestic = Samples.Referral("CN/PLO-RU", "CN/FJPSD");
        var request = Samples.LocationRequest("RU");

        Assert.Equal(["CN/FJPSD"], Check(Directory(("CN", "CN/NCB")), MessageKind.Referral, domestic.Header, domestic).Recipients.Select(r => r.ToString()));
        Assert.Equal(["RU/MVD"], Check(Directory(("CN", "CN/MPS")), MessageKind.LocationRequest, request.Header, request).Recipients.Select(r => r.ToString()));
        Assert.Equal(["RU/MVD"], Check(Directory(), MessageKind.LocationRequest, request.Header, request).Recipients.Select(r => r.ToString()));
    }

    [Fact]
    public void A_request_whose_sender_may_not_reach_its_contact_is_refused_on_its_recipients_and_one_that_may_is_copied()
    {
        var options = SampleDirectory.CreateOptions();
        options.Agencies.Add(new AgencyOptions { Id = "RU/SPOC", Name = "Single point of contact of Russia", Kind = "ForeignPartner" });
        options.SinglePointsOfContact["RU"] = "RU/SPOC";
        var referral = Samples.Referral("RU/MVD", "CN/MPS");

        var refused = Check(AgencyDirectory.FromOptions(options), MessageKind.Referral, referral.Header, referral);
        options.Routes.Add(SampleDirectory.Route("RU/MVD", "RU/SPOC", ["Referral"], "H3"));
        var copied = Check(AgencyDirectory.FromOptions(options), MessageKind.Referral, referral.Header, referral);

        Assert.Equal((RefusalCode.PermissionDenied, RouteRefusals.NotAgreedReason), (refused.Refusal!.Code, refused.Refusal.Reason));
        Assert.Equal(SinglePointOfContact.Field, Assert.Single(refused.Refusal.Violations).Field);
        Assert.Equal(["CN/MPS", "RU/SPOC"], copied.Recipients.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("CN", "CN/NOBODY", "must be an agency in the directory")]
    [InlineData("CN", "RU/MVD", "must be an agency of CN")]
    [InlineData("XX1", "CN/NCB", "is not a country code")]
    public void A_contact_must_be_an_agency_of_its_country_in_the_directory(string country, string agency, string problem)
    {
        var options = SampleDirectory.CreateOptions();
        options.SinglePointsOfContact[country] = agency;

        Assert.Contains(problem, Assert.Single(new SinglePointOfContactValidator().Validate(options)));
        Assert.Empty(new SinglePointOfContactValidator().Validate(SampleDirectory.CreateOptions()));
    }

    private static AgencyDirectory Directory(params (string Country, string Agency)[] contacts)
    {
        var options = SampleDirectory.CreateOptions();
        foreach (var (country, agency) in contacts)
        {
            options.SinglePointsOfContact[country] = agency;
        }

        return AgencyDirectory.FromOptions(options);
    }

    private static RuleOutcome Check(AgencyDirectory directory, MessageKind kind, Header header, IMessage body) =>
        new IntakeRules(new AgencyDirectoryProvider(directory), Options.Create(new IntakeLimits()), TimeProvider.System)
            .Check(kind, header, body, AgencyId.Parse(header.Sender));
}
