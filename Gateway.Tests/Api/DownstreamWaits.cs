using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Api;

/// <summary>Waits for one matching message on the shared downstream sink.</summary>
internal static class DownstreamWaits
{
    public static async Task<ReceivedMail> WaitForMessageAsync(
        this DownstreamSmtpServer downstream,
        Func<ReceivedMail, bool> match,
        TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var found = downstream.Messages.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(50, deadline.Token);
        }
    }
}
