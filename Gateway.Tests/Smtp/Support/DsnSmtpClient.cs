using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace Gateway.Tests.Smtp.Support;

/// <summary>MailKit's client with the hooks it offers for DSN parameters and for preferring BDAT over DATA.</summary>
internal sealed class DsnSmtpClient : SmtpClient
{
    public DsnSmtpClient()
        : this(new MemoryStream())
    {
    }

    private DsnSmtpClient(MemoryStream transcript)
        : base(new ProtocolLogger(transcript, leaveOpen: true))
    {
        Transcript = transcript;
    }

    /// <summary>The protocol log: what MailKit sent ("C: ") and received ("S: ").</summary>
    public MemoryStream Transcript { get; }

    public DeliveryStatusNotification? Notify { get; init; }

    public string? EnvelopeId { get; init; }

    public bool UseBdat { get; init; }

    protected override bool PreferSendAsBinaryData => UseBdat;

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(
        MimeMessage message,
        MailboxAddress mailbox) => Notify;

    protected override string? GetEnvelopeId(MimeMessage message) => EnvelopeId;
}
