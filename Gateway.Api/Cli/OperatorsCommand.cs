using Gateway.Core.Domain;
using Gateway.Core.Operators;
using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Api.Cli;

/// <summary>
/// <c>operators add|list|passwd|disable|enable</c>: manages dashboard operators against the configured database
/// (migrated first), for scripts and for the operator who lost the admin password. Passwords are read from
/// standard input, one line, never from the command line where other users of the machine could see them.
/// </summary>
public static class OperatorsCommand
{
    public const string Usage = """
        Usage:
          operators add <name> [--role admin|viewer]     (password on standard input; role defaults to viewer)
          operators list
          operators passwd <name>                        (new password on standard input; clears a lockout)
          operators disable <name>
          operators enable <name>
        """;

    public const string Summary = "add|list|passwd|disable|enable <name> manages dashboard operators";

    /// <summary>Runs one command; returns the process exit code (0 done, 1 refused, 2 usage error).</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input,
        TextWriter output, TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<GatewayDbContext>().Database
            .MigrateExclusivelyAsync(CancellationToken.None);
        var operators = scope.ServiceProvider.GetRequiredService<OperatorService>();
        var none = CancellationToken.None;
        try
        {
            switch (args)
            {
                case ["list"]:
                    foreach (var account in await operators.ListAsync(none))
                    {
                        await output.WriteLineAsync(
                            $"{account.Name,-24} {account.Role.ToString().ToLowerInvariant(),-7} " +
                            $"{(account.Enabled ? "enabled" : "disabled"),-9} " +
                            $"last sign-in {account.LastSignInAt?.ToString("u") ?? "never"}");
                    }

                    return 0;
                case ["add", var name, .. var options] when TryParseRole(options, out var role):
                    var created = await operators.CreateAsync(name, await ReadPasswordAsync(input), role, none);
                    await output.WriteLineAsync($"Added {created.Role.ToString().ToLowerInvariant()} {created.Name}.");
                    return 0;
                case ["passwd", var name]:
                    return await ReportAsync(
                        await operators.SetPasswordAsync(name, await ReadPasswordAsync(input), none),
                        $"Set a new password for {name}.", name, output, error);
                case ["disable", var name]:
                    return await ReportAsync(await operators.SetEnabledAsync(name, false, none),
                        $"Disabled {name}.", name, output, error);
                case ["enable", var name]:
                    return await ReportAsync(await operators.SetEnabledAsync(name, true, none),
                        $"Enabled {name}.", name, output, error);
                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (OperatorException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private static bool TryParseRole(string[] options, out OperatorRole role)
    {
        role = OperatorRole.Viewer;
        return options switch
        {
            [] => true,
            ["--role", var name] => !name.Any(char.IsDigit) && Enum.TryParse(name, ignoreCase: true, out role),
            _ => false,
        };
    }

    private static async Task<string> ReadPasswordAsync(TextReader input) =>
        await input.ReadLineAsync() ?? throw new OperatorException("No password on standard input.");

    private static async Task<int> ReportAsync(bool found, string done, string name, TextWriter output,
        TextWriter error)
    {
        await (found ? output : error).WriteLineAsync(found ? done : $"No operator named '{name}'.");
        return found ? 0 : 1;
    }
}
