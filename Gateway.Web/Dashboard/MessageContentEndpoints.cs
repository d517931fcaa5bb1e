using System.Text;
using Gateway.Core.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Web.Dashboard;

/// <summary>
/// Message content that the detail page links to but never renders itself: the .eml, the HTML part for the
/// sandboxed frame, and attachments. Each reply forbids sniffing and carries a sandboxing CSP (docs/dashboard.md).
/// </summary>
internal static class MessageContentEndpoints
{
    public static IEndpointRouteBuilder MapMessageContent(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/dashboard/messages/{id:guid}")
            .RequireAuthorization(DashboardRoles.OperatorPolicy)
            .ExcludeFromDescription();
        group.MapGet("/raw.eml", RawAsync);
        group.MapGet("/preview.html", PreviewAsync);
        group.MapGet("/attachments/{index:int}", AttachmentAsync);
        return routes;
    }

    private static async Task<IResult> RawAsync(Guid id, HttpContext http, GatewayDbContext db,
        CancellationToken cancellationToken)
    {
        var raw = await LoadAsync(db, id, cancellationToken);
        if (raw is null)
        {
            return Results.NotFound();
        }

        DashboardHeaders.ApplyToContent(http.Response, DashboardHeaders.DownloadPolicy);
        return Results.File(raw, "message/rfc822", $"{id:N}.eml");
    }

    private static async Task<IResult> PreviewAsync(Guid id, HttpContext http, GatewayDbContext db,
        CancellationToken cancellationToken)
    {
        var raw = await LoadAsync(db, id, cancellationToken);
        if (raw is null)
        {
            return Results.NotFound();
        }

        var html = MessageParts.Parse(raw).HtmlBody ?? string.Empty;
        DashboardHeaders.ApplyToContent(http.Response, DashboardHeaders.PreviewPolicy);
        return Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static async Task<IResult> AttachmentAsync(Guid id, int index, HttpContext http, GatewayDbContext db,
        CancellationToken cancellationToken)
    {
        var raw = await LoadAsync(db, id, cancellationToken);
        var attachments = raw is null ? [] : MessageParts.Parse(raw).Attachments;
        if (index < 0 || index >= attachments.Count)
        {
            return Results.NotFound();
        }

        var part = attachments[index];
        if (part.Content is null)
        {
            return Results.NotFound();
        }

        var decoded = new MemoryStream();
        await part.Content.DecodeToAsync(decoded, cancellationToken);

        // Served as opaque bytes whatever the message claims, so a browser downloads it and never renders it here.
        DashboardHeaders.ApplyToContent(http.Response, DashboardHeaders.DownloadPolicy);
        return Results.File(decoded.ToArray(), "application/octet-stream", MessageParts.DownloadName(part, index));
    }

    private static Task<byte[]?> LoadAsync(GatewayDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.MessageContents.AsNoTracking()
            .Where(c => c.MessageId == id)
            .Select(c => c.Data)
            .FirstOrDefaultAsync(cancellationToken);
}
