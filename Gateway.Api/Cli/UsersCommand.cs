using System.Globalization;
using Gateway.Api.Hosting;
using Gateway.Core.Persistence;
using Gateway.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Api.Cli;

/// <summary>
/// <c>Gateway.Api users add|list|disable|enable|passwd</c>: manages SMTP users against the configured database
/// (the same configuration as the gateway: appsettings.json, environment variables), then exits.
/// </summary>
public static class UsersCommand
{
    public const string Usage = """
        Usage:
          users add <name> [--password-stdin] [--sender <address|domain|*>]... [--per-minute <n>] [--per-day <n>]
                           [--max-recipients <n>]
          users list
          users passwd <name> [--password-stdin]
          users disable <name>
          users enable <name>
        Without --password-stdin the password is asked for on the terminal. A user may only send from its
        --sender entries: an address (app@example.com), a domain (example.com), or * for any sender.
        """;

    /// <summary>Runs one command; returns the process exit code (0 done, 1 refused, 2 usage error).</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error,
        IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        UserArguments parsed;
        try
        {
            parsed = UserArguments.Parse(args);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync(ex.Message);
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Standard output carries the command's answer only; warnings go to standard error. EF Core's probe of a
        // not yet migrated database logs a failed query that means nothing here.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
        builder.Services.AddGatewayDatabase().AddSmtpUsers();
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<GatewayDbContext>().Database
            .MigrateExclusivelyAsync(CancellationToken.None);
        var users = scope.ServiceProvider.GetRequiredService<SmtpUserService>();

        try
        {
            return await ExecuteAsync(parsed, users, input, output, error);
        }
        catch (SmtpUserException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private static async Task<int> ExecuteAsync(UserArguments command, SmtpUserService users, TextReader input,
        TextWriter output, TextWriter error)
    {
        var none = CancellationToken.None;
        switch (command.Verb)
        {
            case "list":
                await WriteListAsync(await users.ListAsync(none), output);
                return 0;
            case "add":
                var password = await ReadPasswordAsync(command, input, error);
                var user = await users.CreateAsync(command.Name!, password, command.Senders,
                    new SmtpUserLimits(command.PerMinute, command.PerDay, command.MaxRecipients), none);
                await output.WriteLineAsync($"Added user {user.Name}.");
                if (user.AllowedSenders.Count == 0)
                {
                    await error.WriteLineAsync(
                        $"Note: {user.Name} has no allowed senders yet, so every MAIL FROM will be refused (553). " +
                        "Add --sender entries.");
                }

                return 0;
            case "passwd":
                var newPassword = await ReadPasswordAsync(command, input, error);
                return await ReportAsync(await users.SetPasswordAsync(command.Name!, newPassword, none),
                    $"Password of {command.Name} changed.", command.Name!, output, error);
            case "disable":
            case "enable":
                var enable = command.Verb == "enable";
                return await ReportAsync(await users.SetEnabledAsync(command.Name!, enable, none),
                    $"User {command.Name} {(enable ? "enabled" : "disabled")}.", command.Name!, output, error);
            default:
                throw new InvalidOperationException($"Unhandled verb {command.Verb}.");
        }
    }

    private static async Task<int> ReportAsync(bool found, string done, string name, TextWriter output,
        TextWriter error)
    {
        if (!found)
        {
            await error.WriteLineAsync($"No user named '{name}'.");
            return 1;
        }

        await output.WriteLineAsync(done);
        return 0;
    }

    private static async Task<string> ReadPasswordAsync(UserArguments command, TextReader input, TextWriter error)
    {
        if (command.PasswordFromStdin)
        {
            return (await input.ReadLineAsync())?.TrimEnd('\r')
                   ?? throw new SmtpUserException("--password-stdin: no password on standard input.");
        }

        if (Console.IsInputRedirected)
        {
            throw new SmtpUserException("Standard input is not a terminal: pass the password with --password-stdin.");
        }

        var first = ReadHidden("Password: ", error);
        var second = ReadHidden("Repeat password: ", error);
        return first == second ? first : throw new SmtpUserException("The passwords do not match.");
    }

    private static string ReadHidden(string prompt, TextWriter error)
    {
        error.Write(prompt);
        var password = new System.Text.StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        error.WriteLine();
        return password.ToString();
    }

    private static async Task WriteListAsync(IReadOnlyList<Core.Domain.SmtpUser> users, TextWriter output)
    {
        const string row = "{0,-24} {1,-8} {2,-8} {3,-8} {4,-8} {5,-20} {6}";
        await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, row,
            "NAME", "ENABLED", "PER-MIN", "PER-DAY", "MAX-RCPT", "LAST-USED", "SENDERS"));
        foreach (var user in users)
        {
            await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, row,
                user.Name, user.Enabled ? "yes" : "no", Limit(user.MessagesPerMinute), Limit(user.MessagesPerDay),
                Limit(user.MaxRecipientsPerMessage),
                user.LastUsedAt?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) ?? "never",
                user.AllowedSenders.Count == 0 ? "(none)" : string.Join(',', user.AllowedSenders)));
        }
    }

    private static string Limit(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
