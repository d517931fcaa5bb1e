namespace Gateway.Api.Cli;

/// <summary>Lists <c>operators</c> in the dispatcher's help and runs it through <see cref="OperatorsCommand"/>.</summary>
public sealed class OperatorsCliCommand : ICliCommand
{
    public string Name => "operators";

    public string Summary => OperatorsCommand.Summary;

    public Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken) =>
        OperatorsCommand.RunAsync(context.Services, [.. arguments], Console.In, context.Output, context.Error);
}
