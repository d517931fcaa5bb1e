using System.Net.Sockets;

namespace Gateway.Bench;

/// <summary>Opens many SMTP connections, reads each greeting, says EHLO, then holds them until killed.</summary>
public static class IdleConnections
{
    public static async Task RunAsync(int port, int count, string readyFile)
    {
        var clients = new List<TcpClient>(count);
        var failed = 0;
        for (var opened = 0; opened < count; opened += 100)
        {
            var wave = Enumerable.Range(0, Math.Min(100, count - opened)).Select(async _ =>
            {
                var client = new TcpClient();
                try
                {
                    await client.ConnectAsync("127.0.0.1", port);
                    var stream = client.GetStream();
                    var reader = new ReplyLineReader(stream);
                    await reader.ReadReplyAsync();
                    await stream.WriteAsync("EHLO idle.bench\r\n"u8.ToArray());
                    await reader.ReadReplyAsync();
                    return client;
                }
                catch (Exception ex) when (ex is IOException or SocketException)
                {
                    client.Dispose();
                    return null;
                }
            });
            foreach (var client in await Task.WhenAll(wave))
            {
                if (client is null)
                {
                    failed++;
                }
                else
                {
                    clients.Add(client);
                }
            }
        }

        Console.WriteLine($"idle_open={clients.Count}");
        Console.WriteLine($"idle_failed={failed}");
        await File.WriteAllTextAsync(readyFile, clients.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Task.Delay(Timeout.Infinite);
    }
}
