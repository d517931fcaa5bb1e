namespace Gateway.Core.Domain;

/// <summary>
/// A credential for the REST API. Only a SHA-256 hash of the secret is stored; the secret is shown once, when the
/// key is created. <see cref="Prefix"/> (the token's first characters) names the key to humans and finds it.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required byte[] SecretHash { get; set; }

    public ApiScope Scopes { get; set; }

    /// <summary>Reverse-paths this key may submit with (addresses, or <c>@domain</c>); empty allows any.</summary>
    public List<string> AllowedSenders { get; set; } = [];

    /// <summary>Messages this key may submit per minute; null for no limit.</summary>
    public int? MessagesPerMinute { get; set; }

    /// <summary>Messages this key may submit per day; null for no limit.</summary>
    public int? MessagesPerDay { get; set; }

    /// <summary>The submitter recorded on messages sent with this key (their <c>authenticated_user</c>).</summary>
    public string Submitter => $"apikey:{Name}";

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
