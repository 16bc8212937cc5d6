namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// Waits for a condition on another process (an endpoint's inbox, a gateway's database) that sends no event to
/// await: it looks again every few milliseconds, and fails with <paramref name="what"/> after a bounded time.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<T> WaitForAsync<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }
    }
}
