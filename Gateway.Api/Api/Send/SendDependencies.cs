using Gateway.Core.ApiKeys;
using Gateway.Core.Ingest;
using Gateway.Core.Persistence;
using Gateway.Smtp;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Api.Send;

/// <summary>The services <c>POST /api/v1/messages</c> needs, bound with [AsParameters].</summary>
public sealed class SendDependencies
{
    public required IMessageIngestor Ingestor { get; init; }

    public required IdempotencyStore Idempotency { get; init; }

    public required ApiKeyService Keys { get; init; }

    public required GatewayDbContext Db { get; init; }

    public required IOptions<SmtpOptions> Smtp { get; init; }

    public required IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> Json { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILoggerFactory Loggers { get; init; }
}
