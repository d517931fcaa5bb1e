using Gateway.Core.Domain;

namespace Gateway.Api.Api;

/// <summary>A request for a new API key.</summary>
/// <param name="Name">A label for people: which application or person holds the key.</param>
/// <param name="Scopes">Any of read, send, manage.</param>
/// <param name="AllowedSenders">Reverse-paths the key may send with (addresses or @domain); empty allows any.</param>
/// <param name="MessagesPerMinute">Messages the key may send per minute; left out for no limit.</param>
/// <param name="MessagesPerDay">Messages the key may send per day; left out for no limit.</param>
public sealed record CreateApiKeyRequest(
    string? Name,
    IReadOnlyList<string>? Scopes,
    IReadOnlyList<string>? AllowedSenders,
    int? MessagesPerMinute = null,
    int? MessagesPerDay = null);

/// <summary>A key's sending limits; null for none.</summary>
public sealed record ApiKeyLimitsRequest(int? MessagesPerMinute, int? MessagesPerDay);

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyDto(
    Guid Id,
    string Name,
    string Prefix,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> AllowedSenders,
    int? MessagesPerMinute,
    int? MessagesPerDay,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyDto From(ApiKey key) => new(key.Id, key.Name, key.Prefix, ApiScopes.Names(key.Scopes),
        key.AllowedSenders, key.MessagesPerMinute, key.MessagesPerDay, key.CreatedAt, key.CreatedBy, key.LastUsedAt,
        key.RevokedAt);
}

/// <summary>A new key. <c>Key</c> is the secret to send as a Bearer token; it is shown only in this reply.</summary>
public sealed record CreatedApiKeyDto(ApiKeyDto ApiKey, string Key);
