using System.Collections.Concurrent;
using System.Net;
using Gateway.Tests.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Api;

/// <summary>
/// An HTTP server on 127.0.0.1 that records webhook POSTs. <c>/ok</c> answers 204; <c>/flaky</c> answers 500 to
/// the first <see cref="FailuresBeforeSuccess"/> requests; <c>/redirect</c> answers 302 to <c>/ok</c>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _flakyCalls;

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    public int FailuresBeforeSuccess { get; init; } = 2;

    public ConcurrentQueue<WebhookCall> Calls { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(int failuresBeforeSuccess = 2)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port) { FailuresBeforeSuccess = failuresBeforeSuccess };
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    public async Task<List<WebhookCall>> WaitForAsync(Func<List<WebhookCall>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var calls = Calls.ToList();
            if (done(calls))
            {
                return calls;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The webhook receiver saw {Calls.Count} calls, not what the test waited for.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Calls.Enqueue(new WebhookCall(context.Request.Path, context.Request.Headers["Gateway-Signature"].ToString(),
            context.Request.Headers["Gateway-Event"].ToString(), body));
        context.Response.StatusCode = context.Request.Path.Value switch
        {
            "/flaky" when Interlocked.Increment(ref _flakyCalls) <= FailuresBeforeSuccess => 500,
            "/redirect" => 302,
            _ => 204,
        };
        if (context.Response.StatusCode == 302)
        {
            context.Response.Headers.Location = $"{BaseUrl}/ok";
        }
    }
}
