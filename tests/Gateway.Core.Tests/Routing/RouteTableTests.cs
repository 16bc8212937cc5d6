using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Interagency.V1;

namespace Gateway.Core.Tests.Routing;

public class RouteTableTests
{
    private static readonly Agency Ministry = Agency("CN/MPS", AgencyKind.Domestic);
    private static readonly Agency Fujian = Agency("CN/FJPSD", AgencyKind.Domestic);
    private static readonly Agency LiaisonMoscow = Agency("CN/PLO-RU", AgencyKind.LiaisonOffice);
    private static readonly Agency Russia = Agency("RU/MVD", AgencyKind.ForeignPartner);
    private static readonly Agency Argentina = Agency("AR/PFA", AgencyKind.ForeignPartner);

    private static Agency Agency(string id, AgencyKind kind) =>
        new(AgencyId.Parse(id), id, kind, new HashSet<MessageKind>(), null);

    private static RouteTable Table(string from, string to, MessageKind[] kinds, HandlingCode max)
    {
        Assert.True(PartyPattern.TryParseSender(from, out var sender));
        Assert.True(PartyPattern.TryParseRecipient(to, out var recipient));
        return new RouteTable([new RouteAgreement(sender, recipient, kinds, max)]);
    }

    [Theory]
    [InlineData(MessageKind.Referral)]
    [InlineData(MessageKind.LocationRequest)]
    public void Without_agreements_every_sender_addressed_kind_is_denied(MessageKind kind)
    {
        Assert.Equal(RouteVerdict.NotAgreed, RouteTable.DenyAll.Check(LiaisonMoscow, Fujian, kind, HandlingCode.H0));
    }

    [Theory]
    [InlineData(MessageKind.LocationReport)]
    [InlineData(MessageKind.Withdrawal)]
    [InlineData(MessageKind.HoldRelease)]
    [InlineData(MessageKind.HoldCancellation)]
    public void Replies_go_by_their_link_not_by_an_agreement(MessageKind kind)
    {
        Assert.False(DeliveryRoutes.NeedsAgreement(kind));
        Assert.Equal(RouteVerdict.Allowed, RouteTable.DenyAll.Check(Russia, Ministry, kind, HandlingCode.H3));
    }

    [Fact]
    public void Case_updates_need_an_agreement_though_the_gateway_picks_their_recipients()
    {
        Assert.True(DeliveryRoutes.NeedsAgreement(MessageKind.CaseUpdate));
        Assert.Equal(RouteVerdict.NotAgreed, RouteTable.DenyAll.Check(Russia, Ministry, MessageKind.CaseUpdate, HandlingCode.H0));
    }

    [Theory]
    [InlineData("CN/PLO-RU", "CN/FJPSD")]
    [InlineData("CN/PLO-RU", "CN")]
    [InlineData("CN/PLO-RU", "Domestic")]
    [InlineData("LiaisonOffice", "CN/FJPSD")]
    [InlineData("*", "CN/FJPSD")]
    [InlineData("LiaisonOffice", "*")]
    public void An_agreement_matches_by_id_country_kind_or_anyone(string from, string to)
    {
        var table = Table(from, to, [MessageKind.Referral], HandlingCode.H3);

        Assert.Equal(RouteVerdict.Allowed, table.Check(LiaisonMoscow, Fujian, MessageKind.Referral, HandlingCode.H0));
    }

    [Theory]
    [InlineData("CN/MPS", "CN/FJPSD")]
    [InlineData("Domestic", "CN/FJPSD")]
    [InlineData("LiaisonOffice", "RU")]
    [InlineData("LiaisonOffice", "CN/MPS")]
    [InlineData("LiaisonOffice", "ForeignPartner")]
    public void An_agreement_for_other_parties_does_not_match(string from, string to)
    {
        var table = Table(from, to, [MessageKind.Referral], HandlingCode.H3);

        Assert.Equal(RouteVerdict.NotAgreed, table.Check(LiaisonMoscow, Fujian, MessageKind.Referral, HandlingCode.H0));
    }

    [Fact]
    public void A_country_pattern_matches_the_agency_country_not_where_a_liaison_office_is_posted()
    {
        var table = Table("Domestic", "RU", [MessageKind.Referral], HandlingCode.H3);

        Assert.Equal(RouteVerdict.Allowed, table.Check(Ministry, Russia, MessageKind.Referral, HandlingCode.H0));
        Assert.Equal(RouteVerdict.NotAgreed, table.Check(Ministry, LiaisonMoscow, MessageKind.Referral, HandlingCode.H0));
    }

    [Fact]
    public void A_kind_the_agreement_does_not_list_is_denied()
    {
        var table = Table("Domestic", "ForeignPartner", [MessageKind.LocationRequest], HandlingCode.H3);

        Assert.Equal(RouteVerdict.Allowed, table.Check(Ministry, Russia, MessageKind.LocationRequest, HandlingCode.H0));
        Assert.Equal(RouteVerdict.NotAgreed, table.Check(Ministry, Russia, MessageKind.Referral, HandlingCode.H0));
    }

    [Theory]
    [InlineData(HandlingCode.H0, RouteVerdict.Allowed)]
    [InlineData(HandlingCode.H1, RouteVerdict.Allowed)]
    [InlineData(HandlingCode.H2, RouteVerdict.Allowed)]
    [InlineData(HandlingCode.H3, RouteVerdict.NotAgreed)]
    [InlineData(HandlingCode.Unspecified, RouteVerdict.NotAgreed)]
    public void The_handling_code_must_not_be_more_restrictive_than_the_cap(HandlingCode handling, RouteVerdict expected)
    {
        var table = Table("ForeignPartner", "Domestic", [MessageKind.Referral], HandlingCode.H2);

        Assert.Equal(expected, table.Check(Russia, Fujian, MessageKind.Referral, handling));
    }

    [Fact]
    public void Agreements_are_directional()
    {
        var table = Table("ForeignPartner", "Domestic", [MessageKind.Referral], HandlingCode.H2);

        Assert.Equal(RouteVerdict.NotAgreed, table.Check(Fujian, Russia, MessageKind.Referral, HandlingCode.H0));
        Assert.Equal(RouteVerdict.NotAgreed, table.Check(Argentina, Russia, MessageKind.Referral, HandlingCode.H0));
    }

    [Fact]
    public void Any_one_covering_agreement_is_enough_and_the_first_is_reported()
    {
        var strict = new RouteAgreement(PartyPattern.ForKind(AgencyKind.ForeignPartner), PartyPattern.Any, [MessageKind.Referral], HandlingCode.H0);
        var lenient = new RouteAgreement(PartyPattern.ForAgency(Russia.Id), PartyPattern.ForCountry("CN"), [MessageKind.Referral], HandlingCode.H3);
        var table = new RouteTable([strict, lenient]);

        Assert.Same(strict, table.FindAgreement(Russia, Fujian, MessageKind.Referral, HandlingCode.H0));
        Assert.Same(lenient, table.FindAgreement(Russia, Fujian, MessageKind.Referral, HandlingCode.H3));
        Assert.Null(table.FindAgreement(Argentina, Fujian, MessageKind.Referral, HandlingCode.H3));
        Assert.Equal([strict, lenient], table.Agreements);
    }

    [Fact]
    public void A_recipient_that_does_not_accept_the_kind_is_refused_before_routes_are_looked_at()
    {
        var reportsOnly = Fujian with { Accepts = new HashSet<MessageKind> { MessageKind.LocationReport } };
        var table = Table("*", "*", [MessageKind.Referral], HandlingCode.H3);

        Assert.Equal(RouteVerdict.KindNotAccepted, table.Check(Ministry, reportsOnly, MessageKind.Referral, HandlingCode.H0));
        Assert.Equal(RouteVerdict.KindNotAccepted, table.Check(Ministry, reportsOnly, MessageKind.Withdrawal, HandlingCode.H0));
        Assert.Equal(RouteVerdict.Allowed, table.Check(Ministry, reportsOnly, MessageKind.LocationReport, HandlingCode.H0));
    }

    [Theory]
    [InlineData("CN/MPS", true, true)]
    [InlineData("Domestic", true, true)]
    [InlineData("*", true, true)]
    [InlineData("RU", false, true)]
    [InlineData("INT", false, true)]
    [InlineData("ZZ", false, false)]
    [InlineData("domestic", false, false)]
    [InlineData("3", false, false)]
    [InlineData("", false, false)]
    public void Senders_are_agencies_kinds_or_anyone_and_recipients_may_also_be_countries(string text, bool sender, bool recipient)
    {
        Assert.Equal(sender, PartyPattern.TryParseSender(text, out _));
        Assert.Equal(recipient, PartyPattern.TryParseRecipient(text, out _));
    }
}
