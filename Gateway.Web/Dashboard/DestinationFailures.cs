namespace Gateway.Web.Dashboard;

/// <summary>A recipient domain with recipients failed or deferred over the last day.</summary>
public sealed record DestinationFailures(string Domain, long Failed, long Deferred);
