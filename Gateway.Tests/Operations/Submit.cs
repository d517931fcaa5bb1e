using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.Operations;

/// <summary>Submits a message with MailKit and returns its queue id from the 250 reply.</summary>
internal static partial class Submit
{
    public static async Task<string> MessageAsync(int smtpPort, string body, params string[] recipients)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("app@example.com"));
        foreach (var recipient in recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = "Operations test";
        message.Body = new TextPart("plain") { Text = body };

        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None);
        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return QueuedAs().Match(reply).Groups[1].Value;
    }

    [GeneratedRegex("queued as ([0-9a-f]{32})")]
    private static partial Regex QueuedAs();
}
