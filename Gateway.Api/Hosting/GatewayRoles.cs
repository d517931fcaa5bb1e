namespace Gateway.Api.Hosting;

/// <summary>
/// Which parts of the gateway this process runs, from <c>Gateway:Roles</c> (a comma-separated list of
/// <c>smtp</c>, <c>relay</c> and <c>web</c>; empty or absent means all three). PostgreSQL coordinates the processes,
/// so scaling out is starting more processes with the roles that need more capacity (docs/operations.md).
/// </summary>
public sealed record GatewayRoles(bool Smtp, bool Relay, bool Web)
{
    public const string ConfigurationKey = "Gateway:Roles";

    public static GatewayRoles All { get; } = new(true, true, true);

    public static GatewayRoles From(IConfiguration configuration)
    {
        var value = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return All;
        }

        var names = value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .ToHashSet();
        var unknown = names.Except(["smtp", "relay", "web"]).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey}: unknown role(s) {string.Join(", ", unknown)}; use smtp, relay and/or web.");
        }

        return new GatewayRoles(names.Contains("smtp"), names.Contains("relay"), names.Contains("web"));
    }

    public override string ToString() => string.Join(",",
        new[] { Smtp ? "smtp" : null, Relay ? "relay" : null, Web ? "web" : null }.OfType<string>());
}
