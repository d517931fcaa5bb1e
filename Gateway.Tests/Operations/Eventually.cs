namespace Gateway.Tests.Operations;

/// <summary>Polls a condition until it holds or the time is up; the last observation goes into the failure.</summary>
internal static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> observe, Func<T, bool> condition, TimeSpan timeout,
        string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await observe();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}; last saw: {value}");
            }

            await Task.Delay(200);
        }
    }
}
