using System.Globalization;

namespace Gateway.Bench;

/// <summary>"--name value" pairs from the command line.</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static BenchArguments Parse(IEnumerable<string> args)
    {
        var parsed = new BenchArguments();
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                parsed._values[name] = "true";
            }
            else if (name is not null)
            {
                parsed._values[name] = arg;
                name = null;
            }
        }

        return parsed;
    }

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value
        : fallback ?? throw new ArgumentException($"--{name} is required");

    public int Number(string name, int? fallback = null) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");

    public bool Flag(string name) => _values.ContainsKey(name);
}
