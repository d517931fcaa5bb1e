using System.Globalization;
using System.Net;
using Gateway.Core.Domain;
using Gateway.Core.Operators;
using Gateway.Core.Persistence;
using Gateway.Tests.Hosting;
using Gateway.Tests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace Gateway.Tests.Dashboard;

/// <summary>
/// A whole gateway on a fresh database with a downstream SMTP server, an admin and a viewer, and Debian's Chromium
/// driven by Playwright. Screenshots go to the test output's "screenshots" folder.
/// </summary>
public sealed class DashboardGateway : IAsyncLifetime
{
    public const string AdminPassword = "admin password for tests";
    public const string ViewerName = "vera";
    public const string ViewerPassword = "viewer password for tests";

    private IPlaywright? playwright;
    private string dataDirectory = string.Empty;

    public DownstreamSmtpServer Downstream { get; } = new();

    public GatewayHost Gateway { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public int StartTlsPort { get; private set; }

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var connectionString = await SharedPostgres.NewDatabaseAsync();
        dataDirectory = Directory.CreateTempSubdirectory("gw-dashboard.").FullName;
        StartTlsPort = FreePort.Next();
        var plainPort = FreePort.Next();
        Gateway = GatewayHost.Start(connectionString, new Dictionary<string, string?>
        {
            ["Gateway:DataDirectory"] = dataDirectory,
            ["Gateway:Relay:Smarthost"] = $"127.0.0.1:{Downstream.Port}",
            ["Gateway:Dashboard:AdminPassword"] = AdminPassword,
            ["Gateway:Dashboard:LockoutThreshold"] = "3",
            ["Gateway:Dashboard:SessionRevalidationInterval"] = "00:00:01",
            ["Gateway:Smtp:Listeners:0:Port"] = plainPort.ToString(CultureInfo.InvariantCulture),
            ["Gateway:Smtp:Listeners:0:Mode"] = "plain",
            ["Gateway:Smtp:Listeners:0:BindAddress"] = "127.0.0.1",
            ["Gateway:Smtp:Listeners:1:Port"] = StartTlsPort.ToString(CultureInfo.InvariantCulture),
            ["Gateway:Smtp:Listeners:1:Mode"] = "starttls",
            ["Gateway:Smtp:Listeners:1:BindAddress"] = "127.0.0.1",
        });
        PlainPort = plainPort;

        await using (var scope = Gateway.Services.CreateAsyncScope())
        {
            var operators = scope.ServiceProvider.GetRequiredService<OperatorService>();
            await operators.CreateAsync(ViewerName, ViewerPassword, OperatorRole.Viewer, CancellationToken.None);
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public int PlainPort { get; private set; }

    /// <summary>A new browser context signed in as the given operator, on the overview, interactive.</summary>
    public async Task<IPage> SignedInPageAsync(string name = OperatorService.FirstAdminName,
        string password = AdminPassword, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Gateway.BaseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>Clicks before the Blazor circuit is up are lost, so every page waits for it.</summary>
    public static async Task WaitInteractiveAsync(IPage page) =>
        await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToHaveCountAsync(1);

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotDirectory, name + ".png"),
            FullPage = true,
        });

    /// <summary>Submits a message over plain SMTP from loopback (a trusted network) and returns its queue id.</summary>
    public async Task<Guid> SendAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(IPAddress.Loopback.ToString(), PlainPort, SecureSocketOptions.None);
        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(true);
        return Guid.Parse(reply[(reply.LastIndexOf(' ') + 1)..]);
    }

    public async Task<T> QueryAsync<T>(Func<GatewayDbContext, Task<T>> query)
    {
        await using var scope = Gateway.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<GatewayDbContext>());
    }

    public static MimeMessage NewMessage(string to, string subject, string text = "Hello from the tests.")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("app@example.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await Gateway.DisposeAsync();
        await Downstream.DisposeAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
