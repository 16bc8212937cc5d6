using Gateway.Core.Agencies;
using Gateway.Core.Intake;
using Gateway.Core.Routing;

namespace Gateway.Core.Tests.Routing;

public class RelayPathTests
{
    private static readonly AgencyId Sender = AgencyId.Parse("CN/PLO-RU");
    private static readonly AgencyId[] Recipients = [AgencyId.Parse("CN/FJPSD")];

    private static IntakeRefusal? Check(int maxHops, params string[] relayedBy) => RelayPath.Check(relayedBy, Sender, Recipients, maxHops);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void A_path_within_the_hop_limit_is_accepted(int relays)
    {
        Assert.Null(Check(4, new[] { "RU/MVD", "AR/PFA", "US/FBI" }[..relays]));
    }

    [Fact]
    public void One_hop_over_the_limit_is_refused_on_relayed_by()
    {
        var refusal = Check(4, "RU/MVD", "AR/PFA", "US/FBI", "CN/NCB");

        Assert.NotNull(refusal);
        Assert.Equal(RefusalCode.InvalidArgument, refusal.Code);
        Assert.Equal(RelayPath.HopLimitReason, refusal.Reason);
        Assert.Equal(RelayPath.Field, Assert.Single(refusal.Violations).Field);
    }

    [Fact]
    public void The_hop_count_includes_the_sender()
    {
        Assert.Equal(1, RelayPath.HopCount([]));
        Assert.Equal(RelayPath.HopLimitReason, Check(1, "RU/MVD")?.Reason);
    }

    [Theory]
    [InlineData("RU/MVD", "CN/PLO-RU")]
    [InlineData("CN/FJPSD")]
    [InlineData("RU/MVD", "US/FBI", "RU/MVD")]
    public void The_sender_a_recipient_or_a_repeated_relay_is_a_loop(params string[] relayedBy)
    {
        var refusal = Check(8, relayedBy);

        Assert.NotNull(refusal);
        Assert.Equal(RefusalCode.InvalidArgument, refusal.Code);
        Assert.Equal(RelayPath.LoopReason, refusal.Reason);
        Assert.Equal(RelayPath.Field, Assert.Single(refusal.Violations).Field);
        Assert.DoesNotContain("RU/MVD", refusal.Message + refusal.Violations[0].Description);
    }
}
