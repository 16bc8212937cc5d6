using Gateway.Audit;
using Gateway.Core.Audit;
using Gateway.Core.Storage;

namespace Gateway.FunctionalTests.Limits;

/// <summary>Hits of agency limits in the refusal budget: one window per agency and limit, each count with its limit.</summary>
public sealed class LimitHitBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [Fact]
    public void Each_agency_and_limit_has_its_own_window_of_one_and_its_count_names_the_limit()
    {
        var budget = new RefusalBudget(permits: 1, Window, maxSources: 10);

        var rate = Enumerable.Range(0, 5).Count(i => budget.TryAdmit("RU/MVD", T0.AddMilliseconds(i), "agency_rate_limited"));
        var streams = Enumerable.Range(0, 3).Count(i => budget.TryAdmit("RU/MVD", T0.AddMilliseconds(i), "agency_streams_exhausted"));
        var other = Enumerable.Range(0, 2).Count(i => budget.TryAdmit("US/FBI", T0.AddMilliseconds(i), "agency_rate_limited"));

        Assert.Equal((1, 1, 1), (rate, streams, other));
        Assert.Equal(
            [
                new SuppressedRefusals("RU/MVD", T0, T0 + Window, 4, "agency_rate_limited"),
                new SuppressedRefusals("RU/MVD", T0, T0 + Window, 2, "agency_streams_exhausted"),
                new SuppressedRefusals("US/FBI", T0, T0 + Window, 1, "agency_rate_limited"),
            ],
            budget.Close(T0 + Window));
    }

    [Fact]
    public void A_count_of_limit_hits_is_audited_under_the_agency_with_its_reason_and_one_without_a_reason_keeps_its_form()
    {
        var limited = new SuppressedRefusals("RU/MVD", T0, T0 + Window, 4, "agency_rate_limited").ToAuditEntry();
        var unidentified = new SuppressedRefusals("10.0.0.1", T0, T0 + Window, 4).ToAuditEntry();

        Assert.Equal((AuditKinds.IntakeRefusalsSuppressed, "RU/MVD", "agency_rate_limited", 4L), (limited.Kind, limited.Actor, limited.Details.Reason, limited.Details.Count));
        Assert.DoesNotContain("reason", unidentified.Details.Serialize(), StringComparison.Ordinal);
    }
}
