using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.Core.Tests.Audit;

/// <summary>Who a count of suppressed refusals names: the agency whose trace calls were refused, else no one.</summary>
public class SuppressedRefusalsTests
{
    [Theory]
    [InlineData("CN/MPS", "CN/MPS")]
    [InlineData("127.0.0.1", "unauthenticated")]
    [InlineData("::1", "unauthenticated")]
    [InlineData("other", "unauthenticated")]
    public void The_count_names_an_agency_source_as_its_actor_and_an_address_as_unauthenticated(string source, string actor)
    {
        var entry = new SuppressedRefusals(source, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(10), 3).ToAuditEntry();

        Assert.Equal((AuditKinds.IntakeRefusalsSuppressed, actor, source, 3L), (entry.Kind, entry.Actor, entry.Details.Source, entry.Details.Count));
    }
}
