using Gateway.Core.Domain;
using Gateway.Core.Users;

namespace Gateway.Web.Dashboard;

/// <summary>The SMTP user form as bound to its inputs: senders as one comma-separated line, limits optional.</summary>
public sealed class SmtpUserForm
{
    public string Name { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public string Senders { get; set; } = string.Empty;

    public int? PerMinute { get; set; }

    public int? PerDay { get; set; }

    public int? MaxRecipients { get; set; }

    public static SmtpUserForm From(SmtpUser user) => new()
    {
        Name = user.Name,
        Senders = string.Join(", ", user.AllowedSenders),
        PerMinute = user.MessagesPerMinute,
        PerDay = user.MessagesPerDay,
        MaxRecipients = user.MaxRecipientsPerMessage,
    };

    public static IReadOnlyList<string> SplitList(string text) =>
        [.. text.Split([',', ' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static string DescribeLimits(SmtpUser user)
    {
        var parts = new List<string>();
        if (user.MessagesPerMinute is { } minute)
        {
            parts.Add($"{minute}/min");
        }

        if (user.MessagesPerDay is { } day)
        {
            parts.Add($"{day}/day");
        }

        if (user.MaxRecipientsPerMessage is { } recipients)
        {
            parts.Add($"{recipients} rcpt/msg");
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    public IReadOnlyList<string> SenderList() => SplitList(Senders);

    public SmtpUserLimits Limits() => new(PerMinute, PerDay, MaxRecipients);
}
