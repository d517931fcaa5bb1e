using System.Net;
using Gateway.Smtp;
using Gateway.Smtp.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

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

        if (!GatewayRoles.From(context.Configuration).Smtp)
        {
            return;
        }

        var smtp = context.Configuration.GetSection("Gateway:Smtp").Get<SmtpOptions>() ?? new SmtpOptions();
        Listen(kestrel, smtp.BindAddress, smtp.Port, l => l.UseConnectionHandler<SmtpConnectionHandler>());
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
