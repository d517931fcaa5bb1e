namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A reply <see cref="DownstreamSmtpServer"/> sends. <paramref name="Text"/> may hold several lines separated by
/// '\n' (sent as a multi-line reply). When <paramref name="CloseConnection"/> is set the server closes the
/// connection after sending it; <see cref="Code"/> 0 closes the connection without sending anything.
/// </summary>
public sealed record DownstreamReply(int Code, string Text, bool CloseConnection = false)
{
    /// <summary>250 2.0.0 Ok.</summary>
    public static DownstreamReply Ok { get; } = new(250, "2.0.0 Ok");

    /// <summary>451 4.3.0, a temporary failure.</summary>
    public static DownstreamReply TemporaryFailure { get; } = new(451, "4.3.0 Temporary failure, try again later");

    /// <summary>450 4.2.1, mailbox temporarily unavailable (greylisting style).</summary>
    public static DownstreamReply MailboxBusy { get; } = new(450, "4.2.1 Mailbox busy, try again later");

    /// <summary>550 5.1.1, a permanent rejection.</summary>
    public static DownstreamReply UserUnknown { get; } = new(550, "5.1.1 User unknown");

    /// <summary>554 5.7.1, message rejected as a whole.</summary>
    public static DownstreamReply Rejected { get; } = new(554, "5.7.1 Message rejected");

    /// <summary>421 4.3.2 and the connection is closed.</summary>
    public static DownstreamReply ServiceUnavailable { get; } =
        new(421, "4.3.2 Service not available, closing channel", CloseConnection: true);

    /// <summary>Closes the connection without replying (a crash or lost link).</summary>
    public static DownstreamReply Disconnect { get; } = new(0, string.Empty, CloseConnection: true);
}
