namespace Gateway.Web.Dashboard;

/// <summary>
/// Re-reads a page on a timer while its circuit lives: the grid, the overview and a message's detail follow the
/// mail as it moves without the operator reloading. A failed refresh is skipped; the next tick tries again.
/// </summary>
public static class LiveRefresh
{
    public static async Task RunAsync(TimeSpan interval, Func<Task> refresh, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await refresh();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The page keeps what it showed; a database hiccup must not tear down the circuit.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }
}
