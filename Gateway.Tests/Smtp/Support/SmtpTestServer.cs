using System.Net;
using Gateway.Api.Hosting;
using Gateway.Core.Ingest;
using Gateway.Smtp;
using Gateway.Smtp.Transport;
using Gateway.Tests.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Smtp.Support;

/// <summary>
/// The real SMTP listener (Kestrel + <see cref="SmtpConnectionHandler"/>) on a free loopback port, with short
/// limits for tests and an in-process store, so protocol tests need no database.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SmtpTestServer(WebApplication app, int port, RecordingIngestor store)
    {
        _app = app;
        Port = port;
        Store = store;
    }

    public int Port { get; }

    public RecordingIngestor Store { get; }

    public IHostApplicationLifetime Lifetime => _app.Lifetime;

    public static async Task<SmtpTestServer> StartAsync(Action<SmtpOptions>? configure = null)
    {
        var port = FreePort.Next();
        var store = new RecordingIngestor();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<SmtpOptions>(o =>
        {
            o.Hostname = "gateway.test";
            o.MaxMessageSize = 64 * 1024;
            o.IdleTimeout = TimeSpan.FromSeconds(10);
            o.GreetingDelay = TimeSpan.Zero;
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IMessageIngestor>(store);
        builder.Services.AddSingleton<TrustedNetworks>();
        builder.Services.AddSingleton<ConnectionLimiter>();
        builder.Services.AddSingleton<ShutdownGrace>();

        // TLS and AUTH services must exist for the handler; with no database, AUTH is simply never completed.
        builder.Services.AddSmtpSecurity(builder.Configuration);
        builder.WebHost.ConfigureKestrel(k =>
            k.Listen(IPAddress.Loopback, port, l => l.UseConnectionHandler<SmtpConnectionHandler>()));
        var app = builder.Build();
        await app.StartAsync();
        return new SmtpTestServer(app, port, store);
    }

    public Task<RawSmtpClient> ConnectAsync() => RawSmtpClient.ConnectAsync(Port);

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
