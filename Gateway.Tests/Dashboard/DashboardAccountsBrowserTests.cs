using System.Net;
using Gateway.Core.Domain;
using Gateway.Smtp.Security;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Gateway.Tests.Dashboard;

/// <summary>SMTP users, API keys, operators and the audit log, driven through the pages.</summary>
public sealed class DashboardAccountsBrowserTests(DashboardGateway fixture) : IClassFixture<DashboardGateway>
{
    [Fact]
    public async Task SmtpUser_CreatedInThePage_RelaysOverSmtpAuth()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/smtp-users");
        await DashboardGateway.WaitInteractiveAsync(page);

        await page.FillAsync("#user-name", "billing-app");
        await page.FillAsync("#user-password", "a long enough password");
        await page.FillAsync("#user-senders", "billing@example.test");
        await page.ClickAsync("#user-save");
        await Expect(page.Locator("#outcome")).ToHaveTextAsync("Created SMTP user billing-app.");
        await Expect(page.Locator("#smtp-users")).ToContainTextAsync("billing@example.test");
        await DashboardGateway.ScreenshotAsync(page, "smtp-users");

        using var client = new SmtpClient
        {
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() ==
                fixture.Gateway.GetService<TlsCertificateProvider>().Certificate.Thumbprint,
        };
        await client.ConnectAsync(IPAddress.Loopback.ToString(), fixture.StartTlsPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(new NetworkCredential("billing-app", "a long enough password"));
        var message = DashboardGateway.NewMessage("invoice@dest.test", "Relayed with AUTH");
        message.From.Clear();
        message.From.Add(MimeKit.MailboxAddress.Parse("billing@example.test"));
        await client.SendAsync(message);
        await client.DisconnectAsync(true);

        var arrived = await fixture.Downstream.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        Assert.Contains(fixture.Downstream.Messages, m => m.Recipients.Contains("invoice@dest.test"));
        var stored = await fixture.QueryAsync(db => db.Messages.SingleAsync(m => m.Subject == "Relayed with AUTH"));
        Assert.Equal("billing-app", stored.AuthenticatedUser);
        Assert.NotEmpty(arrived);
    }

    [Fact]
    public async Task ApiKey_CreatedInThePage_ShowsItsSecretOnceAndWorksOnTheApi()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/api-keys");
        await DashboardGateway.WaitInteractiveAsync(page);

        await page.FillAsync("#key-name", "monitoring");
        await page.ClickAsync("button:text-is('Create key')");
        var secret = await page.Locator("#api-key-secret").InnerTextAsync();
        await DashboardGateway.ScreenshotAsync(page, "api-keys");

        using var http = fixture.Gateway.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        using var reply = await http.GetAsync(new Uri("/api/v1/messages", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);

        await page.ReloadAsync();
        await DashboardGateway.WaitInteractiveAsync(page);
        await Expect(page.Locator("#api-keys")).ToContainTextAsync("monitoring");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // Limits are set over the API or the CLI; the page shows them in the key's row.
        await fixture.QueryAsync(db => db.ApiKeys.Where(k => k.Name == "monitoring")
            .ExecuteUpdateAsync(k => k.SetProperty(x => x.MessagesPerMinute, 30)));
        await page.ReloadAsync();
        await DashboardGateway.WaitInteractiveAsync(page);
        await Expect(page.Locator("#api-keys tr", new() { HasText = "monitoring" })).ToContainTextAsync("30/min");
    }

    [Fact]
    public async Task AuditLog_ListsTheOperatorsActions()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/operators");
        await DashboardGateway.WaitInteractiveAsync(page);
        await page.FillAsync("#operator-name", "olga");
        await page.FillAsync("#operator-password", "olga's long password");
        await page.ClickAsync("button:text-is('Create operator')");
        await Expect(page.Locator("#outcome")).ToHaveTextAsync("Created viewer olga.");

        await page.GotoAsync("/audit");
        await DashboardGateway.WaitInteractiveAsync(page);

        await Expect(page.Locator("#audit")).ToContainTextAsync("create operator");
        await Expect(page.Locator("#audit")).ToContainTextAsync("olga");
        await Expect(page.Locator("#audit")).ToContainTextAsync("sign in");
        await DashboardGateway.ScreenshotAsync(page, "audit");
        var signIns = await fixture.QueryAsync(db => db.AuditLog.CountAsync(a => a.Action == "sign in"));
        Assert.True(signIns >= 1);
        Assert.Equal(OperatorRole.Viewer,
            (await fixture.QueryAsync(db => db.Operators.SingleAsync(o => o.Name == "olga"))).Role);
    }
}
