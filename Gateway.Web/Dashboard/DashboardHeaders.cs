using Microsoft.AspNetCore.Http;

namespace Gateway.Web.Dashboard;

/// <summary>
/// Response headers that keep message content inert. Blazor already encodes every value it renders; these are the
/// second line: the dashboard's pages run only their own scripts, and message content is served sandboxed.
/// </summary>
internal static class DashboardHeaders
{
    /// <summary>For a message's HTML part: no scripts, no remote content, an opaque origin, no sniffing.</summary>
    public const string PreviewPolicy =
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; " +
        "frame-ancestors 'self'; form-action 'none'; base-uri 'none'";

    /// <summary>For a download: nothing of it may run, even if a browser opens it.</summary>
    public const string DownloadPolicy = "sandbox; default-src 'none'";

    private const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; " +
        "object-src 'none'";

    public static void ApplyToPage(HttpContext context)
    {
        var headers = context.Response.Headers;
        var isHtml = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase);
        var isApi = context.Request.Path.StartsWithSegments("/api") ||
                    context.Request.Path.StartsWithSegments("/openapi");
        if (isHtml != true || isApi || headers.ContainsKey("Content-Security-Policy"))
        {
            return;
        }

        headers.ContentSecurityPolicy = PagePolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    public static void ApplyToContent(HttpResponse response, string policy)
    {
        response.Headers.ContentSecurityPolicy = policy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
    }
}
