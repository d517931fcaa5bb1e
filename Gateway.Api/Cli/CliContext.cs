namespace Gateway.Api.Cli;

/// <summary>
/// What a command works with: the gateway's services, configured exactly as the server would be (appsettings,
/// environment, <c>--Key=value</c> arguments) but with no listener or background job started, and the console.
/// </summary>
public sealed class CliContext(IServiceProvider services, TextWriter output, TextWriter error)
{
    public IServiceProvider Services { get; } = services;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;
}
