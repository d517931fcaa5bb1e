namespace Gateway.Api.Cli;

/// <summary>Lists <c>users</c> in the dispatcher's help and runs it through <see cref="UsersCommand"/>.</summary>
public sealed class UsersCliCommand : ICliCommand
{
    public string Name => "users";

    public string Summary => "add|list|passwd|disable|enable <name> manages SMTP users (docs/security.md)";

    public Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken) =>
        UsersCommand.RunAsync([.. arguments], Console.In, context.Output, context.Error);
}
