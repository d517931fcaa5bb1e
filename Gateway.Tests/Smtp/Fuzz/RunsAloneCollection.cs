namespace Gateway.Tests.Smtp.Fuzz;

/// <summary>
/// Tests that measure this process's memory run alone, after the parallel ones: another test's 50 MB message in
/// the same process would otherwise count as their growth.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "runs alone";
}
