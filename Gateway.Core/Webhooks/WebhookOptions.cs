namespace Gateway.Core.Webhooks;

/// <summary>Settings of webhook delivery (<c>Gateway:Webhooks</c>). See docs/api.md.</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Allow targets on loopback and private networks (RFC 1918, unique-local IPv6, CGNAT). Off by default so a
    /// subscription cannot be aimed at the gateway's own network. Link-local and cloud-metadata addresses stay
    /// refused even when this is on.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How often the dispatcher looks for new events and due retries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The wait before the second attempt; each later wait doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a delivery is marked failed.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Time allowed for one POST, connect included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
