namespace Gateway.Core.Ingest;

/// <summary>Settings of the group-commit writer (<c>Gateway:Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>How many writer loops commit in parallel; each holds one database connection.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>The most messages one transaction carries.</summary>
    public int MaxBatch { get; set; } = 64;
}
