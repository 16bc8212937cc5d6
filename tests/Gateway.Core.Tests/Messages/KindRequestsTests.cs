using Gateway.Core.Intake;
using Gateway.Core.Messages;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Interagency.V1;

namespace Gateway.Core.Tests.Messages;

/// <summary>The table of message kinds against the wire covers every kind once and agrees with the protos.</summary>
public class KindRequestsTests
{
    private static readonly ServiceDescriptor[] AgencyServices =
        [ReferralService.Descriptor, FugitiveService.Descriptor, CaseUpdateService.Descriptor, ClarificationService.Descriptor];

    public static TheoryData<MessageKind> Kinds() => [.. Enum.GetValues<MessageKind>()];

    public static TheoryData<MessageKind> SubmittedKinds() => [.. Enum.GetValues<MessageKind>().Where(k => k != MessageKind.Notice)];

    [Fact]
    public void Every_message_kind_has_exactly_one_entry()
    {
        Assert.Equal(Enum.GetValues<MessageKind>().Order(), KindRequests.All.Select(k => k.Kind).Order());
    }

    [Fact]
    public void No_two_kinds_share_a_request_type_or_an_rpc()
    {
        Assert.Equal(KindRequests.All.Count, KindRequests.All.Select(k => k.Rpc).Distinct().Count());
        Assert.Equal(KindRequests.All.Count, KindRequests.All.Select(k => Empty(k).Descriptor.FullName).Distinct().Count());
    }

    [Fact]
    public void Only_the_notice_has_no_rpc_since_only_the_gateway_makes_it()
    {
        Assert.Equal([MessageKind.Notice], KindRequests.All.Where(k => k.Rpc is null).Select(k => k.Kind));
    }

    [Theory]
    [MemberData(nameof(SubmittedKinds))]
    public void The_rpc_of_a_kind_takes_its_request_type(MessageKind kind)
    {
        var entry = KindRequests.For(kind);

        var method = AgencyServices.SelectMany(s => s.Methods).Single(m => $"/{m.Service.FullName}/{m.Name}" == entry.Rpc);
        Assert.Same(method.InputType, Empty(entry).Descriptor);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_stored_request_reaches_the_endpoint_with_its_header_and_body(MessageKind kind)
    {
        var entry = KindRequests.For(kind);
        var request = Empty(entry);
        var header = new Header { MessageId = "0b7e0f0e-5d42-4a53-9a3c-3c1d2f7a9e11", CaseReference = "CN-FJ-2026-0042" };
        request.Descriptor.FindFieldByName("header").Accessor.SetValue(request, header);
        var bodyField = request.Descriptor.Fields.InDeclarationOrder().Single(f => f.Name != "header");
        var body = bodyField.MessageType.Parser.ParseFrom([]);
        bodyField.Accessor.SetValue(request, body);

        var delivery = new DeliverRequest();
        entry.FillDelivery(entry.Parser.ParseFrom(request.ToByteArray()), delivery);

        Assert.Equal(header, delivery.Header);
        Assert.Equal(header, entry.HeaderOf(request));
        var payload = DeliverRequest.Descriptor.FindFieldByNumber((int)delivery.PayloadCase);
        Assert.NotNull(payload);
        Assert.Same(bodyField.MessageType, payload.MessageType);
        Assert.Equal(body, payload.Accessor.GetValue(delivery));
    }

    [Fact]
    public void An_unknown_kind_is_refused_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KindRequests.For((MessageKind)99));
        Assert.Equal("No request type for message kind 99.", error.Message);
    }

    private static IMessage Empty(KindRequest entry) => entry.Parser.ParseFrom([]);
}
