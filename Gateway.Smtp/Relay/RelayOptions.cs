namespace Gateway.Smtp.Relay;

/// <summary>Settings of the relay worker (<c>Gateway:Relay</c>). See docs/architecture.md.</summary>
public sealed class RelayOptions
{
    /// <summary>The next hop for all mail, as <c>host:port</c> (port 25 when omitted).</summary>
    public string? Smarthost { get; set; }

    /// <summary>Our name in EHLO toward the next hop; the SMTP hostname when empty.</summary>
    public string? HeloName { get; set; }

    /// <summary>Delivery loops per process; each claims its own batch and holds one connection to the next hop.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Recipients claimed per round.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claim holds; a worker that dies releases its recipients when this runs out.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an idle worker looks for due mail even without a notification.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay before the first retry; each further retry doubles it up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A recipient still undelivered this long after the message arrived fails.</summary>
    public TimeSpan MaxQueueLifetime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Time allowed for connecting and for each reply of the next hop.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
