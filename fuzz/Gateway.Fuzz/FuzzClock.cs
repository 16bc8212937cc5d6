using Microsoft.Extensions.Time.Testing;

namespace Gateway.Fuzz;

/// <summary>
/// A clock that never moves, so an input gives the same verdict on every run (AFL needs that to tell paths apart) and the
/// seeds, written relative to it, stay valid whenever they are replayed.
/// </summary>
internal static class FuzzClock
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static TimeProvider Create() => new FakeTimeProvider(Now);
}
