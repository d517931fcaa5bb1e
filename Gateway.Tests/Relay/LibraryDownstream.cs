using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gateway.Tests.Hosting;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Gateway.Tests.Relay;

/// <summary>
/// A downstream mail server built on the third-party <c>SmtpServer</c> library, on a loopback address and free port:
/// the "normal" next hop, with STARTTLS when given a certificate and AUTH when given credentials.
/// </summary>
internal sealed class LibraryDownstream : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public LibraryDownstream(
        IPAddress? address = null,
        int? port = null,
        X509Certificate2? certificate = null,
        (string User, string Password)? credentials = null)
    {
        Address = address ?? IPAddress.Loopback;
        Port = port ?? FreePort.Next();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("downstream.test")
            .Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(Address, Port)).AllowUnsecureAuthentication(true);
                if (certificate is not null)
                {
                    e.Certificate(certificate);
                }

                if (credentials is not null)
                {
                    e.AuthenticationRequired(true);
                }
            })
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(Messages));
        if (credentials is { } pair)
        {
            services.Add(new DelegatingUserAuthenticator((user, password) =>
                user == pair.User && password == pair.Password));
        }

        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public string Endpoint => $"{Address}:{Port}";

    public ConcurrentQueue<CapturedMail> Messages { get; } = new();

    /// <summary>Waits until the downstream holds at least <paramref name="count"/> messages.</summary>
    public async Task<IReadOnlyList<CapturedMail>> WaitForAsync(int count, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (Messages.Count < count)
        {
            await Task.Delay(50, limit.Token);
        }

        return [.. Messages];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Stopped while sessions were open; nothing to keep.
        }

        _stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<CapturedMail> messages) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(
            ISessionContext context,
            IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            var from = transaction.From is null || string.IsNullOrEmpty(transaction.From.User)
                ? string.Empty
                : $"{transaction.From.User}@{transaction.From.Host}";
            messages.Enqueue(new CapturedMail(from, transaction.To.Select(t => $"{t.User}@{t.Host}").ToList(),
                buffer.ToArray(), context.Pipe.IsSecure ? context.Pipe.SslProtocol.ToString() : null,
                context.Authentication.IsAuthenticated ? context.Authentication.User : null));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
