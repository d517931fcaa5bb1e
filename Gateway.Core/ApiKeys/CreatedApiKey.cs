using Gateway.Core.Domain;

namespace Gateway.Core.ApiKeys;

/// <summary>A new key and its token; the only time the token exists outside the client.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Token);
