using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Api.Api.Auth;
using Gateway.Core.Ingest;
using Gateway.Smtp.Session;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Gateway.Api.Api.Send;

/// <summary>
/// Mail over HTTP: JSON built into MIME, or a raw RFC 5322 message. It joins the same queue as SMTP mail, through
/// the same ingestor, with our Received header on top. Scope: send.
/// </summary>
public static class SendApi
{
    public const string Route = "/api/v1/messages";

    private const int MaxIdempotencyKeyLength = 200;

    public static IEndpointRouteBuilder MapSendApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Route, SendAsync).WithTags("Messages").WithName("SendMessage")
            .RequireAuthorization(ApiKeyDefaults.SendPolicy)
            .WithSummary("Queues a message given as JSON (application/json) or raw RFC 5322 (message/rfc822).")
            .Accepts<SendRequest>("application/json", "message/rfc822")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // One Accepts entry serves both media types; the raw form is bytes, not the JSON schema.
                if (operation.RequestBody?.Content?.TryGetValue("message/rfc822", out var raw) == true)
                {
                    raw.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                }

                return Task.CompletedTask;
            })
            .DisableAntiforgery();
        return routes;
    }

    private static async Task<Results<Accepted<SendResult>, Ok<SendResult>, ValidationProblem, ProblemHttpResult>>
        SendAsync(
            HttpContext context,
            [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
            [FromQuery] string? from,
            [FromQuery] string[]? to,
            [AsParameters] SendDependencies services,
            CancellationToken cancellationToken)
    {
        var key = context.ApiKey();
        var smtp = services.Smtp.Value;
        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large",
                "The body exceeds the limit for a message; see Gateway:Api:MaxSendBodySize.");
        }

        var errors = new Dictionary<string, string[]>();
        var composed = Compose(context.Request.ContentType, body, from, to ?? [], smtp, services, errors,
            out var unsupported);
        if (unsupported)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                "Send application/json (see SendRequest) or message/rfc822.");
        }

        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength } ||
            idempotencyKey?.Any(c => c is < ' ' or > '~') == true)
        {
            errors["Idempotency-Key"] = [$"1 to {MaxIdempotencyKeyLength} printable ASCII characters."];
        }

        if (composed is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!SenderRules.Allows(key.AllowedSenders, composed.ReversePath))
        {
            return Problem(StatusCodes.Status403Forbidden, "Sender not allowed",
                $"This API key may not send as {composed.ReversePath}.");
        }

        if (composed.Content.Length > smtp.MaxMessageSize)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Message too large",
                $"The message has {composed.Content.Length} octets; the limit is {smtp.MaxMessageSize}.");
        }

        var id = Guid.CreateVersion7();
        if (idempotencyKey is not null)
        {
            var contentType = System.Text.Encoding.UTF8.GetBytes(context.Request.ContentType ?? string.Empty);
            var hash = SHA256.HashData([.. body, .. contentType]);
            var (outcome, existing) = await services.Idempotency.ClaimAsync(key.Id, idempotencyKey, hash, id,
                cancellationToken);
            switch (outcome)
            {
                case IdempotencyOutcome.Replay:
                    return TypedResults.Ok(await ReplayAsync(existing, services, cancellationToken));
                case IdempotencyOutcome.Mismatch:
                    return Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                        "This key was used with a different request; use a new key for a new message.");
                case IdempotencyOutcome.InProgress:
                    return Problem(StatusCodes.Status409Conflict, "Request in progress",
                        "A request with this Idempotency-Key is still being queued; retry shortly.");
            }
        }

        // After the idempotency check, so that a retried request whose message is already queued is answered
        // with it rather than refused for the limit it counts towards.
        if (await services.Keys.CheckSendingRateAsync(key, cancellationToken) is { Allowed: false } verdict)
        {
            if (idempotencyKey is not null)
            {
                await services.Idempotency.ReleaseAsync(key.Id, idempotencyKey, id, CancellationToken.None);
            }

            var wait = verdict.RetryAfter!.Value - services.Time.GetUtcNow();
            var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problem(StatusCodes.Status429TooManyRequests, "Rate limit reached",
                $"This API key may send {verdict.Limit}; try again after {verdict.RetryAfter:u} (in {seconds} s).");
        }

        var clientAddress = context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
        var now = services.Time.GetUtcNow();
        var received = ReceivedHeader.Build(key.Prefix, clientAddress, smtp.Hostname, "HTTP", id.ToString("N"),
            composed.Recipients, now);
        try
        {
            await services.Ingestor.CommitAsync(new IncomingMessage
            {
                Id = id,
                ReceivedAt = now,
                ClientAddress = clientAddress.ToString(),
                HeloName = key.Prefix,
                AuthenticatedUser = context.User.OperatorName(),
                ReversePath = composed.ReversePath,
                Recipients = composed.Recipients,
                BodyType = composed.Content.Any(b => b > 127) ? "8BITMIME" : "7BIT",
                SmtpUtf8 = composed.SmtpUtf8,
                Content = (byte[])[.. received, .. composed.Content],
            }, cancellationToken);
        }
        catch (IngestUnavailableException)
        {
            if (idempotencyKey is not null)
            {
                await services.Idempotency.ReleaseAsync(key.Id, idempotencyKey, id, CancellationToken.None);
            }

            return Problem(StatusCodes.Status503ServiceUnavailable, "Message store unavailable",
                "The message was not queued; retry later.");
        }

        ApiLog.MessageSubmitted(services.Loggers.CreateLogger(typeof(SendApi)), id, context.User.OperatorName(),
            composed.Recipients.Count);
        var headers = HeadlineHeaders.Parse(composed.Content);
        return TypedResults.Accepted($"{Route}/{id}",
            new SendResult(id, headers.MessageId, composed.Recipients, Replayed: false));
    }

    private static ComposedMessage? Compose(
        string? contentType,
        byte[] body,
        string? from,
        IReadOnlyList<string> to,
        Gateway.Smtp.SmtpOptions smtp,
        SendDependencies services,
        Dictionary<string, string[]> errors,
        out bool unsupported)
    {
        unsupported = false;
        var media = MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            ? mediaType.MediaType.Value?.ToLowerInvariant()
            : null;
        if (media == "message/rfc822")
        {
            return RawMessageReader.Read(body, from, to, smtp.MaxRecipients, errors);
        }

        if (media != "application/json")
        {
            unsupported = true;
            return null;
        }

        SendRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<SendRequest>(body, services.Json.Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            errors["body"] = [$"Not valid JSON for a SendRequest: {ex.Message}"];
            return null;
        }

        if (request is null)
        {
            errors["body"] = ["A JSON object is required."];
            return null;
        }

        return MessageComposer.Compose(request, smtp.Hostname, smtp.MaxRecipients, errors);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static async Task<SendResult> ReplayAsync(Guid id, SendDependencies services, CancellationToken token)
    {
        var message = await services.Db.Messages.AsNoTracking().Where(m => m.Id == id)
            .Select(m => new
            {
                m.MessageIdHeader,
                Recipients = m.Recipients.OrderBy(r => r.Id).Select(r => r.Address).ToList(),
            })
            .FirstAsync(token);
        return new SendResult(id, message.MessageIdHeader, message.Recipients, Replayed: true);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
