using Gateway.Audit;
using Gateway.Core.Storage;

namespace Gateway.FunctionalTests.Intake;

/// <summary>The budget of audited refusals per source and window, as a plain function of time.</summary>
public sealed class RefusalBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [Fact]
    public void The_permitted_refusals_of_a_window_are_admitted_and_the_rest_counted_once_it_closes()
    {
        var budget = new RefusalBudget(permits: 3, Window, maxSources: 10);

        var admitted = Enumerable.Range(0, 50).Count(i => budget.TryAdmit("10.0.0.1", T0.AddMilliseconds(i)));

        Assert.Equal(3, admitted);
        Assert.Empty(budget.Close(T0 + Window - TimeSpan.FromTicks(1)));
        Assert.Equal([new SuppressedRefusals("10.0.0.1", T0, T0 + Window, 47)], budget.Close(T0 + Window));
        Assert.True(budget.TryAdmit("10.0.0.1", T0 + Window));
    }

    [Fact]
    public void Sources_have_budgets_of_their_own_and_a_window_with_nothing_counted_writes_nothing()
    {
        var budget = new RefusalBudget(permits: 1, Window, maxSources: 10);

        Assert.True(budget.TryAdmit("10.0.0.1", T0));
        Assert.True(budget.TryAdmit("10.0.0.2", T0));
        Assert.False(budget.TryAdmit("10.0.0.2", T0));

        Assert.Equal([new SuppressedRefusals("10.0.0.2", T0, T0 + Window, 1)], budget.Close(T0 + Window));
        Assert.Null(budget.NextClose);
    }

    [Fact]
    public void Sources_past_the_tracked_number_share_one_count_so_memory_stays_bounded()
    {
        var budget = new RefusalBudget(permits: 1, Window, maxSources: 2);

        var admitted = Enumerable.Range(0, 1000).Count(i => budget.TryAdmit($"10.0.{i / 256}.{i % 256}", T0));

        // Two sources of their own, one for all others: one admitted each, the rest counted under "other".
        Assert.Equal(3, admitted);
        Assert.Equal(
            [new SuppressedRefusals(RefusalBudget.OtherSources, T0, T0 + Window, 997)],
            budget.Close(T0 + Window));
    }

    [Fact]
    public void At_shutdown_every_open_window_is_closed_at_that_moment()
    {
        var budget = new RefusalBudget(permits: 0, Window, maxSources: 10);
        budget.TryAdmit("10.0.0.1", T0);
        budget.TryAdmit("10.0.0.1", T0.AddSeconds(1));

        Assert.Equal([new SuppressedRefusals("10.0.0.1", T0, T0.AddSeconds(2), 2)], budget.Close(T0.AddSeconds(2), all: true));
    }
}

/// <summary>The budget's settings are checked at start-up.</summary>
public sealed class UnauthenticatedRefusalOptionsValidatorTests
{
    [Fact]
    public void The_defaults_hold_and_a_budget_without_bounds_is_refused_naming_each_setting()
    {
        var validator = new UnauthenticatedRefusalOptionsValidator();

        Assert.True(validator.Validate(null, new UnauthenticatedRefusalOptions()).Succeeded);
        var failed = validator.Validate(null, new UnauthenticatedRefusalOptions { PermitsPerWindow = -1, Window = TimeSpan.Zero, MaxSources = 0 });
        Assert.True(failed.Failed);
        Assert.Contains("PermitsPerWindow", failed.FailureMessage);
        Assert.Contains("Window", failed.FailureMessage);
        Assert.Contains("MaxSources", failed.FailureMessage);
    }
}
