using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Gateway.Tests.Shared;
using Google.Protobuf;
using Interagency.V1;

namespace Gateway.Core.Tests.Routing;

/// <summary>The one route check of every delivery, as plain functions over the sample directory.</summary>
public sealed class DeliveryRoutesTests
{
    private static readonly AgencyDirectory Directory = SampleDirectory.Create();
    private static readonly AgencyId Argentina = AgencyId.Parse("AR/PFA");
    private static readonly AgencyId Ministry = AgencyId.Parse("CN/MPS");
    private static readonly AgencyId Fujian = AgencyId.Parse("CN/FJPSD");
    private static readonly AgencyId Russia = AgencyId.Parse("RU/MVD");
    private static readonly AgencyId Moscow = AgencyId.Parse("CN/PLO-RU");

    [Fact]
    public void A_case_update_goes_to_the_parties_an_agreement_covers_and_skips_those_none_does()
    {
        // ForeignPartner -> Domestic carries updates; no agreement lets one foreign partner send another updates.
        var (recipients, refusal) = DeliveryRoutes.CaseUpdate(Directory, Argentina, [Argentina, Ministry, Russia], HandlingCode.H2);

        Assert.Null(refusal);
        Assert.Equal([Ministry], recipients);
    }

    [Fact]
    public void A_case_update_above_the_cap_of_one_party_is_refused_on_its_handling_code()
    {
        var (recipients, refusal) = DeliveryRoutes.CaseUpdate(Directory, Argentina, [Ministry], HandlingCode.H3);

        Assert.Empty(recipients);
        Assert.Equal((RefusalCode.PermissionDenied, RouteRefusals.NotAgreedReason), (refusal!.Code, refusal.Reason));
        Assert.Equal(DeliveryRoutes.HandlingField, Assert.Single(refusal.Violations).Field);
    }

    [Fact]
    public void A_case_update_with_no_party_to_reach_is_refused()
    {
        var (_, refusal) = DeliveryRoutes.CaseUpdate(Directory, Argentina, [Argentina, Russia], HandlingCode.H0);

        Assert.Equal((RefusalCode.PermissionDenied, "header.case_reference"), (refusal!.Code, Assert.Single(refusal.Violations).Field));
    }

    [Fact]
    public void A_reply_is_limited_by_the_route_the_answered_message_took_in_the_table_in_effect()
    {
        // Domestic -> ForeignPartner allows location requests up to H2; the report goes back to the requester.
        var request = Stored(MessageKind.LocationRequest, Ministry, HandlingCode.H0);

        Assert.Equal(HandlingCode.H2, DeliveryRoutes.ReplyLimit(Directory, request, Russia, Ministry));
        Assert.Null(DeliveryRoutes.CheckReply(Directory, request, Russia, [Ministry], HandlingCode.H2));
        Assert.NotNull(DeliveryRoutes.CheckReply(Directory, request, Russia, [Ministry], HandlingCode.H3));
    }

    [Fact]
    public void A_reply_on_a_route_no_agreement_covers_any_more_keeps_the_answered_messages_own_code()
    {
        var referral = Stored(MessageKind.Referral, Moscow, HandlingCode.H1);

        // A release from RU/MVD goes back to CN/PLO-RU: no agreement covers CN/PLO-RU -> RU/MVD for referrals.
        Assert.Equal(HandlingCode.H1, DeliveryRoutes.ReplyLimit(Directory, referral, Russia, Moscow));

        // And to Fujian along the referral's own route, which allows H3.
        Assert.Equal(HandlingCode.H3, DeliveryRoutes.ReplyLimit(Directory, referral, Russia, Fujian));
    }

    [Theory]
    [InlineData(MessageKind.Referral, "CN/FJPSD", HandlingCode.H2, true)]
    [InlineData(MessageKind.Referral, "RU/MVD", HandlingCode.H0, false)]
    [InlineData(MessageKind.LocationRequest, "RU/MVD", HandlingCode.H3, false)]
    [InlineData(MessageKind.LocationReport, "RU/MVD", HandlingCode.H3, true)]
    [InlineData(MessageKind.CaseUpdate, "RU/MVD", HandlingCode.H0, false)]
    [InlineData(MessageKind.CaseUpdate, "CN/FJPSD", HandlingCode.H0, true)]
    public void A_stored_delivery_is_rechecked_for_the_kinds_that_need_an_agreement(MessageKind kind, string recipient, HandlingCode handling, bool permitted)
    {
        Assert.Equal(permitted, DeliveryRoutes.StillPermits(Directory, Stored(kind, Moscow, handling), recipient));
    }

    [Theory]
    [InlineData(CaseUpdate.KindOneofCase.HoldRelease)]
    [InlineData(CaseUpdate.KindOneofCase.TranslationResult)]
    public void A_case_update_that_answers_a_message_keeps_its_link_when_rechecked(CaseUpdate.KindOneofCase answer)
    {
        var update = new CaseUpdate();
        if (answer == CaseUpdate.KindOneofCase.HoldRelease)
        {
            update.HoldRelease = new HoldRelease();
        }
        else
        {
            update.TranslationResult = new TranslationResult();
        }

        // No agreement lets the liaison office in Moscow send RU/MVD case updates; as a reply it goes by its link.
        Assert.True(DeliveryRoutes.StillPermits(Directory, Stored(MessageKind.CaseUpdate, Moscow, HandlingCode.H0, update), "RU/MVD"));
    }

    private static StoredMessage Stored(MessageKind kind, AgencyId sender, HandlingCode handling, CaseUpdate? update = null)
    {
        var header = Samples.Header(sender.ToString());
        header.Handling = new Handling { Code = handling, Restriction = handling == HandlingCode.H3 ? "r" : string.Empty };
        IMessage request = kind switch
        {
            MessageKind.Referral => new SubmitReferralRequest { Header = header },
            MessageKind.LocationRequest => new RequestLocationRequest { Header = header },
            MessageKind.CaseUpdate => new PublishUpdatesRequest
            {
                Header = header,
                Update = update ?? new CaseUpdate { StatusChange = new StatusChange { Status = CaseStatus.OperationInProgress } },
            },
            _ => new ReportLocationRequest { Header = header },
        };
        var at = DateTimeOffset.UtcNow;
        return new StoredMessage(
            header.MessageId, kind, header.CaseReference, sender.ToString(), [1], request.ToByteArray(), at,
            new AcceptanceReceipt(header.MessageId, [], at, 1, MessageState.Accepted));
    }
}
