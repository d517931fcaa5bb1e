using Gateway.Core.Domain;
using Gateway.Core.Operators;
using Gateway.Tests.Infrastructure;
using Gateway.Web.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Gateway.Tests.Dashboard;

/// <summary>The dashboard in Debian's Chromium against the running gateway on loopback.</summary>
public sealed class DashboardBrowserTests(DashboardGateway fixture) : IClassFixture<DashboardGateway>
{
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task SignIn_AsAdmin_ShowsOverviewWithCountsAndChart()
    {
        var id = await fixture.SendAsync(DashboardGateway.NewMessage("overview@dest.test", "For the overview"));
        await WaitForStateAsync(id, RecipientState.Delivered);

        var page = await fixture.SignedInPageAsync();

        await Expect(page).ToHaveTitleAsync("Overview · Gateway");
        await Expect(page.Locator(".who")).ToContainTextAsync("admin (admin)");
        await Expect(page.Locator("svg polyline.delivered")).ToHaveCountAsync(1);
        await Expect(page.Locator("#count-Delivered")).Not.ToHaveTextAsync("0");
        await DashboardGateway.ScreenshotAsync(page, "overview");
    }

    [Fact]
    public async Task SignIn_WrongPassword_StaysOnSignInWithError()
    {
        var page = await (await fixture.Browser.NewContextAsync(new() { BaseURL = BaseUrl })).NewPageAsync();
        await page.GotoAsync("/messages");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.FillAsync("#name", "admin");
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("button[type=submit]");

        await Expect(page.Locator(".error")).ToContainTextAsync("wrong");
        await DashboardGateway.ScreenshotAsync(page, "signin");
    }

    [Fact]
    public async Task SignIn_RepeatedFailures_LockTheAccountEvenForTheRightPassword()
    {
        await using (var scope = fixture.Gateway.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OperatorService>()
                .CreateAsync("locky", "the right password", OperatorRole.Viewer, CancellationToken.None);
        }

        var page = await (await fixture.Browser.NewContextAsync(new() { BaseURL = BaseUrl })).NewPageAsync();
        for (var i = 0; i < 3; i++)
        {
            await SignInAsync(page, "locky", "a wrong password");
        }

        await SignInAsync(page, "locky", "the right password");

        await Expect(page.Locator(".error")).ToContainTextAsync("locked");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
    }

    [Fact]
    public async Task SignedInSession_EndsWhenThePasswordIsResetOrTheAccountDisabled()
    {
        await using (var scope = fixture.Gateway.Services.CreateAsyncScope())
        {
            var operators = scope.ServiceProvider.GetRequiredService<OperatorService>();
            await operators.CreateAsync("resetty", "the first password", OperatorRole.Viewer, CancellationToken.None);
            await operators.CreateAsync("disabley", "the first password", OperatorRole.Viewer, CancellationToken.None);
        }

        var reset = await (await fixture.Browser.NewContextAsync(new() { BaseURL = BaseUrl })).NewPageAsync();
        var disabled = await (await fixture.Browser.NewContextAsync(new() { BaseURL = BaseUrl })).NewPageAsync();
        await SignInAsync(reset, "resetty", "the first password");
        await SignInAsync(disabled, "disabley", "the first password");
        await reset.GotoAsync("/messages");
        await disabled.GotoAsync("/messages");
        await Expect(reset).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/messages$"));
        await Expect(disabled).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/messages$"));

        await using (var scope = fixture.Gateway.Services.CreateAsyncScope())
        {
            var operators = scope.ServiceProvider.GetRequiredService<OperatorService>();
            await operators.SetPasswordAsync("resetty", "a second password", CancellationToken.None);
            await operators.SetEnabledAsync("disabley", false, CancellationToken.None);
        }

        await reset.GotoAsync("/messages");
        await disabled.GotoAsync("/messages");

        await Expect(reset).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await Expect(disabled).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
    }

    // An open tab makes no HTTP request to re-check the cookie: its circuit re-checks the session itself.
    [Fact]
    public async Task OpenTab_PasswordResetElsewhere_IsSentToSignInWithoutAReload()
    {
        await using (var scope = fixture.Gateway.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OperatorService>()
                .CreateAsync("tabby", "the first password", OperatorRole.Admin, CancellationToken.None);
        }

        var page = await (await fixture.Browser.NewContextAsync(new() { BaseURL = BaseUrl })).NewPageAsync();
        await SignInAsync(page, "tabby", "the first password");
        await page.GotoAsync("/smtp-users");
        await DashboardGateway.WaitInteractiveAsync(page);

        await using (var scope = fixture.Gateway.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OperatorService>()
                .SetPasswordAsync("tabby", "a second password", CancellationToken.None);
        }

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"),
            new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task DeliveredMessage_Detail_ShowsTimelineWithReplyCodeAndTrace()
    {
        var id = await fixture.SendAsync(DashboardGateway.NewMessage("ann@dest.test", "Delivered for the timeline"));
        await WaitForStateAsync(id, RecipientState.Delivered);
        var page = await fixture.SignedInPageAsync();

        await page.ClickAsync("nav >> text=Messages");
        await DashboardGateway.WaitInteractiveAsync(page);
        await page.FillAsync("input[type=search]", "Delivered for the timeline");
        await page.ClickAsync("form[role=search] button[type=submit]");
        await Expect(page.Locator("#messages tbody tr")).ToHaveCountAsync(1);
        await DashboardGateway.ScreenshotAsync(page, "messages");
        await page.ClickAsync("#messages a");

        await Expect(page).ToHaveTitleAsync("Delivered for the timeline · Gateway");
        await Expect(page.Locator("#recipients")).ToContainTextAsync("Delivered");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Received");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Attempt: Delivered");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("250");
        await Expect(page.Locator("#trace")).ToContainTextAsync("gateway.test");
        await Expect(page.Locator("#text-body")).ToHaveTextAsync("Hello from the tests.");
        await DashboardGateway.ScreenshotAsync(page, "message-detail");
    }

    [Fact]
    public async Task RefusedMessage_RetriedFromPageAfterDownstreamIsFixed_EndsDelivered()
    {
        var refusing = true;
        fixture.Downstream.Script.RecipientHandler = address =>
            Volatile.Read(ref refusing) && address.StartsWith("refused@", StringComparison.Ordinal)
                ? DownstreamReply.UserUnknown
                : null;
        var id = await fixture.SendAsync(DashboardGateway.NewMessage("refused@dest.test", "Refused at first"));
        await WaitForStateAsync(id, RecipientState.Failed);
        var page = await fixture.SignedInPageAsync();

        await page.GotoAsync($"/messages/{id}");
        await DashboardGateway.WaitInteractiveAsync(page);
        await Expect(page.Locator("#recipients")).ToContainTextAsync("550 5.1.1 User unknown");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Attempt: Failed");
        Volatile.Write(ref refusing, false);
        await page.ClickAsync("button:text-is('Retry all')");

        await Expect(page.Locator("#outcome")).ToContainTextAsync("retry: 1 of 1 recipients changed");
        await Expect(page.Locator("#recipients .state")).ToHaveTextAsync("Delivered", Slow);
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Retried");
        var audit = await fixture.QueryAsync(db => db.AuditLog.Where(a => a.Action == "retry").ToListAsync());
        Assert.Contains(audit, a => a.Operator == "admin" && a.Target == $"message {id:N}");
    }

    [Fact]
    public async Task Viewer_ClickingRetry_IsRefusedByTheServerAndNothingChanges()
    {
        fixture.Downstream.Script.RecipientHandler = address =>
            address.StartsWith("viewer-refused@", StringComparison.Ordinal) ? DownstreamReply.Rejected : null;
        var id = await fixture.SendAsync(DashboardGateway.NewMessage("viewer-refused@dest.test", "Viewer test"));
        await WaitForStateAsync(id, RecipientState.Failed);
        var page = await fixture.SignedInPageAsync(DashboardGateway.ViewerName, DashboardGateway.ViewerPassword);

        await page.GotoAsync($"/messages/{id}");
        await DashboardGateway.WaitInteractiveAsync(page);
        await Expect(page.Locator(".banner")).ToContainTextAsync("viewer");
        await page.ClickAsync("button:text-is('Retry all')");

        await Expect(page.Locator("#outcome")).ToHaveTextAsync(DashboardActions.ViewerRefusal);
        var recipient = await fixture.QueryAsync(db => db.Recipients.SingleAsync(r => r.MessageId == id));
        Assert.Equal(RecipientState.Failed, recipient.State);
        var events = await fixture.QueryAsync(db => db.Events.CountAsync(e => e.MessageId == id &&
                                                                              e.Kind == EventKind.Retried));
        Assert.Equal(0, events);
    }

    [Fact]
    public async Task HostileSubjectAndBody_AreShownAsTextAndNeverRun()
    {
        const string Script = "<script>window.pwned = 1</script>";
        var message = DashboardGateway.NewMessage("hostile@dest.test", "Hi " + Script);
        var body = new Multipart("alternative")
        {
            new TextPart("plain") { Text = "Text " + Script },
            new TextPart("html") { Text = "<p>Html</p>" + Script + "<img src=\"http://192.0.2.1/x.png\">" },
        };
        var mixed = new Multipart("mixed") { body };
        mixed.Add(new MimePart("text", "html")
        {
            Content = new MimeContent(new MemoryStream("<script>alert(1)</script>"u8.ToArray())),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "evil.html",
        });
        message.Body = mixed;
        var id = await fixture.SendAsync(message);
        var page = await fixture.SignedInPageAsync();

        await page.GotoAsync($"/messages/{id}");
        await DashboardGateway.WaitInteractiveAsync(page);

        await Expect(page.Locator("#subject")).ToHaveTextAsync("Hi " + Script);
        await Expect(page.Locator("#text-body")).ToHaveTextAsync("Text " + Script);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.pwned"));
        await Expect(page.Locator("#html-preview")).ToHaveAttributeAsync("sandbox", "");
        var frame = page.FrameLocator("#html-preview");
        await Expect(frame.Locator("p")).ToHaveTextAsync("Html");
        Assert.Equal("undefined", await page.Frames[1].EvaluateAsync<string>("typeof window.pwned"));

        var preview = await page.Context.APIRequest.GetAsync($"/dashboard/messages/{id}/preview.html");
        Assert.Equal("nosniff", preview.Headers["x-content-type-options"]);
        Assert.Contains("sandbox", preview.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", preview.Headers["content-security-policy"], StringComparison.Ordinal);
        var attachment = await page.Context.APIRequest.GetAsync($"/dashboard/messages/{id}/attachments/0");
        Assert.StartsWith("attachment", attachment.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("application/octet-stream", attachment.Headers["content-type"]);
        Assert.Equal("nosniff", attachment.Headers["x-content-type-options"]);
        Assert.Equal("<script>alert(1)</script>", await attachment.TextAsync());
        var eml = await page.Context.APIRequest.GetAsync($"/dashboard/messages/{id}/raw.eml");
        Assert.StartsWith("attachment", eml.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Contains("Subject: Hi <script>", await eml.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageContent_WithoutSignIn_IsNotServed()
    {
        var id = await fixture.SendAsync(DashboardGateway.NewMessage("anon@dest.test", "Private"));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = fixture.Gateway.BaseAddress,
        };

        using var reply = await http.GetAsync(new Uri($"/dashboard/messages/{id}/raw.eml", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.Redirect, reply.StatusCode);
        Assert.Equal("/signin", reply.Headers.Location?.AbsolutePath);
        Assert.DoesNotContain("Private", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PhoneWidth_MessagesAndUsersPages_FitAndWork()
    {
        var page = await fixture.SignedInPageAsync(viewport: new ViewportSize { Width = 390, Height = 844 });

        await page.GotoAsync("/messages");
        await DashboardGateway.WaitInteractiveAsync(page);
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");

        Assert.True(width <= 390, $"The page is {width} px wide on a 390 px screen.");
        await DashboardGateway.ScreenshotAsync(page, "messages-phone");
    }

    private string BaseUrl => fixture.Gateway.BaseAddress.ToString();

    private static async Task SignInAsync(IPage page, string name, string password)
    {
        await page.GotoAsync("/signin");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);

        // Waits for the answer to the form's POST and the page it leads to, not for every asset of that page: under
        // a loaded CI machine waiting for the full load event timed out once.
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"),
            response => response.Request.Method == "POST");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    private async Task WaitForStateAsync(Guid id, RecipientState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var recipients = await fixture.QueryAsync(db =>
                db.Recipients.AsNoTracking().Where(r => r.MessageId == id).ToListAsync());
            if (recipients.Count > 0 && recipients.All(r => r.State == state))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Message {id} stayed " +
                string.Join(", ", recipients.Select(r => $"{r.State} ({r.LastReplyCode} {r.LastReplyText})")));
            await Task.Delay(100);
        }
    }
}
