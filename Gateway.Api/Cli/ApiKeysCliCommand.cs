namespace Gateway.Api.Cli;

/// <summary>Lists <c>apikeys</c> in the dispatcher's help and runs it through <see cref="ApiKeysCommand"/>.</summary>
public sealed class ApiKeysCliCommand : ICliCommand
{
    public string Name => "apikeys";

    public string Summary => ApiKeysCommand.Summary;

    public Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken) =>
        ApiKeysCommand.RunAsync(context.Services, [.. arguments], context.Output, context.Error);
}
