using System.Net;
using Gateway.Smtp;
using Gateway.Smtp.Security;
using Gateway.Smtp.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Hosting;

/// <summary>
/// Binds Kestrel: the HTTP endpoints named by the standard <c>Urls</c> setting (default http://127.0.0.1:8080,
/// loopback until the API has keys) and the SMTP listener. Declaring the SMTP endpoint in code makes Kestrel
/// ignore <c>Urls</c>, so the HTTP endpoints are declared here too.
/// </summary>
public static class ListenerSetup
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static void Configure(WebHostBuilderContext context, KestrelServerOptions kestrel)
    {
        var urls = context.Configuration["Urls"] ?? DefaultUrls;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = BindingAddress.Parse(url);
            if (address.Scheme != "http")
            {
                throw new InvalidOperationException(
                    $"Urls: only http:// endpoints are supported for now; put TLS in front with a proxy ({url}).");
            }

            Listen(kestrel, address.Host, address.Port, _ => { });
        }

        var smtp = context.Configuration.GetSection("Gateway:Smtp").Get<SmtpOptions>() ?? new SmtpOptions();
        List<SmtpListenerOptions> listeners = smtp.Listeners.Count > 0
            ? smtp.Listeners
            : [new SmtpListenerOptions { Port = smtp.Port, BindAddress = smtp.BindAddress, Mode = "plain" }];
        foreach (var listener in listeners)
        {
            ListenSmtp(kestrel, listener);
        }

        if (listeners.Any(l => l.ParsedMode != SmtpListenerMode.Plain))
        {
            // Load (or generate) the certificate now, so the log says at start-up which one the listeners use.
            _ = kestrel.ApplicationServices.GetRequiredService<TlsCertificateProvider>().Certificate;
        }
    }

    private static void ListenSmtp(KestrelServerOptions kestrel, SmtpListenerOptions listener)
    {
        var mode = listener.ParsedMode;
        Listen(kestrel, listener.BindAddress, listener.Port, l =>
        {
            var feature = new SmtpListenerFeature(listener);
            l.Use(next => connection =>
            {
                connection.Features.Set(feature);
                return next(connection);
            });

            if (mode == SmtpListenerMode.ImplicitTls)
            {
                // Kestrel's TLS middleware works for any connection handler, not just HTTP. The callback asks the
                // provider at every handshake, so a certificate file replaced on disk is picked up.
                var certificates = kestrel.ApplicationServices.GetRequiredService<TlsCertificateProvider>();
                var tls = kestrel.ApplicationServices.GetRequiredService<IOptions<SmtpTlsOptions>>().Value;
                l.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(certificates.CreateServerOptions()),
                    HandshakeTimeout = tls.HandshakeTimeout,
                });
            }

            l.UseConnectionHandler<SmtpConnectionHandler>();
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        if (host is "*" or "+" or "0.0.0.0" or "[::]")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else if (host == "localhost")
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host.Trim('[', ']')), port, configure);
        }
    }
}
