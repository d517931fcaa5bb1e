using Gateway.Api.Api.Send;
using Gateway.Smtp;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Hosting;

/// <summary>
/// Caps request bodies under <c>/api</c>: sending mail may carry a whole message, every other call gets a small
/// limit. Kestrel enforces the cap while the body is read and answers 413, written as problem details.
/// </summary>
public sealed class RequestBodyLimits(RequestDelegate next, IOptionsMonitor<ApiOptions> api, IOptionsMonitor<SmtpOptions> smtp)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false } && context.Request.Path.StartsWithSegments("/api"))
        {
            var isSend = HttpMethods.IsPost(context.Request.Method) &&
                         context.Request.Path.Equals(SendApi.Route, StringComparison.OrdinalIgnoreCase);
            feature.MaxRequestBodySize = isSend
                ? api.CurrentValue.MaxSendBodySize ?? (smtp.CurrentValue.MaxMessageSize * 4 / 3) + (64 * 1024)
                : api.CurrentValue.MaxRequestBodySize;
        }

        return next(context);
    }
}
