namespace Gateway.Smtp;

/// <summary>Settings of the SMTP listener (<c>Gateway:Smtp</c>). Defaults and their RFC sources: docs/smtp.md.</summary>
public sealed class SmtpOptions
{
    /// <summary>TCP port of the plain listener used when <see cref="Listeners"/> is empty.</summary>
    public int Port { get; set; } = 2525;

    /// <summary>Address to bind: <c>*</c> for every interface, or one IP address.</summary>
    public string BindAddress { get; set; } = "*";

    /// <summary>The name we give in the greeting, EHLO reply and Received header.</summary>
    public string Hostname { get; set; } = Environment.MachineName;

    /// <summary>Largest message accepted, in octets (advertised with SIZE, RFC 1870).</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>Most recipients in one transaction; more get 452 4.5.3 (RFC 5321 §4.5.3.1.8 asks for at least 100).</summary>
    public int MaxRecipients { get; set; } = 1000;

    /// <summary>Longest command line, CRLF included (RFC 5321 §4.5.3.1.4 sets 512 as the least to allow).</summary>
    public int MaxCommandLineLength { get; set; } = 2048;

    /// <summary>How long to wait for the next command or data bytes (RFC 5321 §4.5.3.2.7 says at least 5 minutes).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>After this many rejected commands the session is closed with 421.</summary>
    public int MaxErrors { get; set; } = 20;

    /// <summary>Largest header section, in octets; a bigger one gets 552 5.3.4.</summary>
    public long MaxHeaderSize { get; set; } = 256 * 1024;

    /// <summary>Most <c>Received:</c> headers a message may carry; more is taken for a mail loop (554 5.4.6).</summary>
    public int MaxReceivedHeaders { get; set; } = 100;

    /// <summary>Longest a session may last, however busy, so a client dripping bytes cannot stay forever.</summary>
    public TimeSpan MaxSessionDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Most SMTP connections open at once; more are answered 421 and closed.</summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Most SMTP connections open at once from one client address; more are answered 421 and closed.</summary>
    public int MaxConnectionsPerClient { get; set; } = 100;

    /// <summary>
    /// How long clients outside the trusted networks wait for the greeting; one that sends anything meanwhile is an
    /// early talker and is refused (554 5.5.0). Zero turns the check off.
    /// </summary>
    public TimeSpan GreetingDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown, how long a session may take to finish its transaction before it gets 421.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Networks (CIDR) whose clients may relay without authenticating. Default: loopback only.</summary>
    public List<string> TrustedNetworks { get; set; } = [];

    /// <summary>The listeners; when empty, one plain listener on <see cref="BindAddress"/>:<see cref="Port"/>.</summary>
    public List<SmtpListenerOptions> Listeners { get; set; } = [];

    /// <summary>The trusted networks used when none are configured.</summary>
    public static IReadOnlyList<string> DefaultTrustedNetworks { get; } = ["127.0.0.0/8", "::1/128"];
}
