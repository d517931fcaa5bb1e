using System.Security.Cryptography;
using Gateway.Core.Domain;
using Gateway.Core.Persistence;
using Gateway.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Core.ApiKeys;

/// <summary>Creates, lists, revokes and checks API keys. The REST API, the CLI and the dashboard share it.</summary>
public sealed class ApiKeyService(GatewayDbContext db, TimeProvider time)
{
    /// <summary>Last-used times are written at most this often per key, so reads do not turn into writes.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public Task<CreatedApiKey> CreateAsync(
        string name,
        ApiScope scopes,
        IReadOnlyList<string> allowedSenders,
        string? createdBy,
        CancellationToken cancellationToken) =>
        CreateAsync(name, scopes, allowedSenders, createdBy, ApiKeyLimits.None, cancellationToken);

    /// <summary>Creates a key with sending limits, in one write.</summary>
    public async Task<CreatedApiKey> CreateAsync(
        string name,
        ApiScope scopes,
        IReadOnlyList<string> allowedSenders,
        string? createdBy,
        ApiKeyLimits limits,
        CancellationToken cancellationToken)
    {
        var token = ApiKeyToken.Generate();
        var key = await StoreAsync(name, scopes, allowedSenders, createdBy, token, limits, cancellationToken);
        return new CreatedApiKey(key, token);
    }

    /// <summary>Stores a key whose token the operator chose (the bootstrap key from configuration).</summary>
    public Task<ApiKey> AddAsync(
        string name,
        ApiScope scopes,
        IReadOnlyList<string> allowedSenders,
        string? createdBy,
        string token,
        CancellationToken cancellationToken) =>
        StoreAsync(name, scopes, allowedSenders, createdBy, token, ApiKeyLimits.None, cancellationToken);

    private async Task<ApiKey> StoreAsync(
        string name,
        ApiScope scopes,
        IReadOnlyList<string> allowedSenders,
        string? createdBy,
        string token,
        ApiKeyLimits limits,
        CancellationToken cancellationToken)
    {
        var prefix = ApiKeyToken.PrefixOf(token)
                     ?? throw new ArgumentException("An API key token has at least 40 characters.", nameof(token));
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Prefix = prefix,
            SecretHash = ApiKeyToken.Hash(token),
            Scopes = scopes,
            AllowedSenders = [.. allowedSenders],
            MessagesPerMinute = limits.MessagesPerMinute,
            MessagesPerDay = limits.MessagesPerDay,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>Revokes a key at once; returns false when no such key exists.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(
            s => s.SetProperty(k => k.RevokedAt, k => k.RevokedAt ?? now), cancellationToken);
        return found > 0;
    }

    /// <summary>Sets a key's sending limits (null: none); returns false when no such key exists.</summary>
    public async Task<bool> SetLimitsAsync(
        Guid id,
        int? messagesPerMinute,
        int? messagesPerDay,
        CancellationToken cancellationToken)
    {
        var found = await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(k => k.MessagesPerMinute, messagesPerMinute)
            .SetProperty(k => k.MessagesPerDay, messagesPerDay), cancellationToken);
        return found > 0;
    }

    /// <summary>
    /// Whether the key may submit another message now under its limits. Keys are counted by name (the submitter
    /// their messages record), so two keys given the same name share one count.
    /// </summary>
    public Task<SendingRateVerdict> CheckSendingRateAsync(ApiKey key, CancellationToken cancellationToken) =>
        SendingRate.CheckAsync(db, key.Submitter, key.MessagesPerMinute, key.MessagesPerDay, time.GetUtcNow(),
            cancellationToken);

    public Task<bool> AnyActiveAsync(CancellationToken cancellationToken) =>
        db.ApiKeys.AnyAsync(k => k.RevokedAt == null, cancellationToken);

    /// <summary>The active key this token belongs to, or null. Compares hashes in constant time.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var prefix = ApiKeyToken.PrefixOf(token);
        if (prefix is null)
        {
            return null;
        }

        var key = await db.ApiKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.Prefix == prefix && k.RevokedAt == null, cancellationToken);
        if (key is null || !CryptographicOperations.FixedTimeEquals(key.SecretHash, ApiKeyToken.Hash(token)))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
            key.LastUsedAt = now;
        }

        return key;
    }
}
