namespace Gateway.Tests.Smtp.Fuzz;

/// <summary>
/// Tests that run alone, after the parallel ones: those that measure this process's memory (another test's 50 MB
/// message would count as their growth) and those that read process-wide telemetry (metrics by meter name).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "runs alone";
}
