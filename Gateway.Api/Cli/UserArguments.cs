using System.Globalization;

namespace Gateway.Api.Cli;

/// <summary>The parsed arguments of one <c>users</c> command; <see cref="Parse"/> throws FormatException on misuse.</summary>
public sealed class UserArguments
{
    public required string Verb { get; init; }

    public string? Name { get; private set; }

    public bool PasswordFromStdin { get; private set; }

    public List<string> Senders { get; } = [];

    public int? PerMinute { get; private set; }

    public int? PerDay { get; private set; }

    public int? MaxRecipients { get; private set; }

    public static UserArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("add" or "list" or "passwd" or "disable" or "enable"))
        {
            throw new FormatException(args.Length == 0 ? "Missing command." : $"Unknown command '{args[0]}'.");
        }

        var parsed = new UserArguments { Verb = args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            var option = args[i];
            string Value() => ++i < args.Length ? args[i] : throw new FormatException($"{option} needs a value.");
            switch (option)
            {
                case "--password-stdin" when parsed.Verb is "add" or "passwd":
                    parsed.PasswordFromStdin = true;
                    break;
                case "--sender" when parsed.Verb == "add":
                    parsed.Senders.Add(Value());
                    break;
                case "--per-minute" when parsed.Verb == "add":
                    parsed.PerMinute = Number(option, Value());
                    break;
                case "--per-day" when parsed.Verb == "add":
                    parsed.PerDay = Number(option, Value());
                    break;
                case "--max-recipients" when parsed.Verb == "add":
                    parsed.MaxRecipients = Number(option, Value());
                    break;
                case not null when !option.StartsWith('-') && parsed.Name is null && parsed.Verb != "list":
                    parsed.Name = option;
                    break;
                default:
                    throw new FormatException($"Unexpected argument '{option}' for '{parsed.Verb}'.");
            }
        }

        if (parsed.Verb != "list" && parsed.Name is null)
        {
            throw new FormatException($"'{parsed.Verb}' needs a user name.");
        }

        return parsed;
    }

    private static int Number(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new FormatException($"{option} needs a positive whole number, not '{value}'.");
}
