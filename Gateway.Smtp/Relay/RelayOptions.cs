namespace Gateway.Smtp.Relay;

/// <summary>Settings of the relay worker (<c>Gateway:Relay</c>). See docs/relay.md.</summary>
public sealed class RelayOptions
{
    /// <summary>The default next hop for every domain without a route, as <c>host:port</c>; empty means MX.</summary>
    public string? Smarthost { get; set; }

    /// <summary>TLS mode of the default smarthost and of direct MX delivery.</summary>
    public TlsMode Tls { get; set; } = TlsMode.Opportunistic;

    /// <summary>Certificate check of the default smarthost when <see cref="Tls"/> is required.</summary>
    public CertificateValidation CertificateValidation { get; set; } = CertificateValidation.Full;

    /// <summary>AUTH user name at the default smarthost.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Per-domain routes, keyed by recipient domain (A-label or U-label, any case).</summary>
    public Dictionary<string, RouteOptions> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>DNS servers for MX lookups as <c>address</c> or <c>address:port</c>; the system's when empty.</summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>Time allowed for one DNS query.</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The port of MX hosts (SMTP, RFC 5321 §4.5.4.1 says 25); tests point it at a loopback port.</summary>
    public int MxPort { get; set; } = 25;

    /// <summary>Our name in EHLO toward the next hop; the SMTP hostname when empty.</summary>
    public string? HeloName { get; set; }

    /// <summary>
    /// Delivery loops per process: the most connections this process holds open to next hops at once.
    /// </summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// The most connections this process holds open at once to one destination (smarthost or domain).
    /// </summary>
    public int MaxConnectionsPerDestination { get; set; } = 2;

    /// <summary>
    /// How long a connection to a next hop is kept open after its batch, for the next round's mail to the same
    /// destination; zero closes every connection after its batch. Keep it below the next hops' own idle timeouts
    /// (RFC 5321 §4.5.3.2.7 has servers wait at least 5 minutes; many wait less).
    /// </summary>
    public TimeSpan ConnectionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Recipients claimed per round.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claim holds; a worker that dies releases its recipients when this runs out.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an idle worker looks for due mail even without a notification.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Explicit delays between attempts: the n-th retry waits the n-th entry, the last one repeats. When empty,
    /// <see cref="FirstRetryDelay"/> doubles up to <see cref="MaxRetryDelay"/>.
    /// </summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>
    /// Delay before the first retry; each further retry doubles it up to <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A recipient still undelivered this long after the message arrived fails.</summary>
    public TimeSpan MaxQueueLifetime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Send a "delayed" notice once a recipient has waited this long; never when empty.</summary>
    public TimeSpan? DelayNoticeAfter { get; set; }

    /// <summary>Time allowed for connecting and for each reply of the next hop.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Time allowed for the reply to the end of data (RFC 5321 §4.5.3.2.6 suggests 10 minutes).</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Our name in the Reporting-MTA field and From of delivery status notifications.</summary>
    public string? ReportingMta { get; set; }
}
