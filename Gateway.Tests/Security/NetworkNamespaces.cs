using System.Diagnostics;
using System.Globalization;

namespace Gateway.Tests.Security;

/// <summary>
/// Two network namespaces made for one test, joined by a veth pair: the gateway's side (x.x.x.1/30) and a client
/// host's side (x.x.x.2/30) in 10.213.0.0/16. Nothing is added to the machine's own network; deleting the
/// namespaces removes the pair.
/// </summary>
internal sealed class NetworkNamespaces : IAsyncDisposable
{
    private NetworkNamespaces(string server, string client, string serverAddress, string clientAddress)
    {
        Server = server;
        Client = client;
        ServerAddress = serverAddress;
        ClientAddress = clientAddress;
    }

    public string Server { get; }

    public string Client { get; }

    public string ServerAddress { get; }

    public string ClientAddress { get; }

    public static async Task<NetworkNamespaces> CreateAsync()
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"gw4t{Environment.ProcessId % 10000}{Random.Shared.Next(1000)}");
        var subnet = string.Create(CultureInfo.InvariantCulture, $"10.213.{Random.Shared.Next(1, 255)}");
        var spaces = new NetworkNamespaces(id + "s", id + "c", subnet + ".1", subnet + ".2");
        try
        {
            await RunAsync("ip", "netns", "add", spaces.Server);
            await RunAsync("ip", "netns", "add", spaces.Client);
            await RunAsync("ip", "link", "add", "gwside", "netns", spaces.Server, "type", "veth", "peer", "name",
                "clientside", "netns", spaces.Client);
            await RunAsync("ip", "netns", "exec", spaces.Server, "ip", "addr", "add", spaces.ServerAddress + "/30",
                "dev", "gwside");
            await RunAsync("ip", "netns", "exec", spaces.Client, "ip", "addr", "add", spaces.ClientAddress + "/30",
                "dev", "clientside");
            foreach (var (space, device) in new[] { (spaces.Server, "gwside"), (spaces.Client, "clientside") })
            {
                await RunAsync("ip", "netns", "exec", space, "ip", "link", "set", device, "up");
                await RunAsync("ip", "netns", "exec", space, "ip", "link", "set", "lo", "up");
            }

            return spaces;
        }
        catch
        {
            await spaces.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var space in new[] { Server, Client })
        {
            try
            {
                await RunAsync("ip", "netns", "del", space);
            }
            catch (InvalidOperationException)
            {
                // Never created: nothing to delete.
            }
        }
    }

    public static async Task<string> RunAsync(params string[] command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(' ', command)} exited with {process.ExitCode}: {await error}{await output}");
        }

        return await output;
    }
}
