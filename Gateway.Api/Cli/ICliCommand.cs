namespace Gateway.Api.Cli;

/// <summary>
/// A subcommand of the gateway's executable (<c>Gateway.Api migrate</c>, <c>Gateway.Api queue</c>, ...). Any
/// non-abstract class implementing this with a parameterless constructor is found by <see cref="GatewayCli"/>;
/// adding a command needs no registration anywhere else.
/// </summary>
public interface ICliCommand
{
    /// <summary>The word that selects the command, lower case.</summary>
    string Name { get; }

    /// <summary>One line for <c>help</c>, starting with the arguments the command takes.</summary>
    string Summary { get; }

    /// <summary>Runs the command with the words after its name; returns the process exit code.</summary>
    Task<int> RunAsync(CliContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
