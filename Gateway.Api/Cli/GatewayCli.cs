using System.Reflection;
using Gateway.Api.Hosting;

namespace Gateway.Api.Cli;

/// <summary>
/// Dispatches <c>Gateway.Api &lt;command&gt; [arguments]</c> to an <see cref="ICliCommand"/>. With no command
/// word first (no argument, or a first argument starting with '-') the executable runs the server as usual.
/// </summary>
public static class GatewayCli
{
    public static IReadOnlyList<ICliCommand> Commands { get; } = typeof(GatewayCli).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ICliCommand).IsAssignableFrom(t)
                    && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>Runs the command named by the first argument; null when none is named (run the server).</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return null;
        }

        var name = args[0].ToLowerInvariant();
        if (name is "help" or "/?")
        {
            WriteHelp(output);
            return 0;
        }

        var command = Commands.FirstOrDefault(c => c.Name == name);
        if (command is null)
        {
            await error.WriteLineAsync($"Unknown command '{args[0]}'.");
            WriteHelp(error);
            return 2;
        }

        var rest = args[1..];

        // Only --Key=value words are settings; the command's own switches (--json) stay out of the configuration.
        await using var app = BuildServices(rest.Where(a => a.StartsWith("--", StringComparison.Ordinal)
                                                        && a.Contains('=', StringComparison.Ordinal)).ToArray());
        try
        {
            return await command.RunAsync(new CliContext(app.Services, output, error), rest, CancellationToken.None);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await error.WriteLineAsync($"{command.Name}: {ex.Message}");
            return 1;
        }
    }

    private static WebApplication BuildServices(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Logs go to standard error, so that a command's output (queue --json) stays machine-readable.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The server's services, so that a command sees them as the server does; nothing here starts a listener
        // or a background job, since the application is built and never run.
        builder.Services.AddGatewayHost(builder.Configuration);
        return builder.Build();
    }

    private static void WriteHelp(TextWriter writer)
    {
        var executable = Assembly.GetEntryAssembly()?.GetName().Name ?? "Gateway.Api";
        writer.WriteLine($"Usage: {executable} [command] [arguments] [--Key=value ...]");
        writer.WriteLine("Without a command, runs the gateway. Commands:");
        foreach (var command in Commands)
        {
            writer.WriteLine($"  {command.Name,-10} {command.Summary}");
        }

        writer.WriteLine("  help       lists the commands");
        writer.WriteLine(
            "Settings come from appsettings.json, the environment and --Key=value arguments, as for the server.");
    }
}
