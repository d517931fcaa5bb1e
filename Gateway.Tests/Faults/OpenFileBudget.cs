using System.Globalization;

namespace Gateway.Tests.Faults;

/// <summary>
/// How many connections a test may hold open at once. The test process and the gateway it starts each hold one
/// descriptor per connection, and both inherit this process's soft limit on open files (RLIMIT_NOFILE), which a
/// CI machine may keep at 1,024. run-tests.sh raises it to the hard limit where it can; where it cannot, a test
/// scales its connection count down to fit, and says so, rather than failing on a limit of the machine.
/// </summary>
internal static class OpenFileBudget
{
    // Descriptors the rest of the test run needs meanwhile: other test classes' sockets and database connections,
    // assemblies, pipes; and the gateway's own listeners, database pool and logs.
    private const int Reserve = 600;

    public static int SoftLimit { get; } = ReadSoftLimit();

    /// <summary>Up to <paramref name="wanted"/> connections, fewer if the limit leaves no room for them.</summary>
    public static int Fit(int wanted, int alsoOpen) => Math.Max(0, Math.Min(wanted, SoftLimit - Reserve - alsoOpen));

    private static int ReadSoftLimit()
    {
        const string prefix = "Max open files";
        var line = File.Exists("/proc/self/limits")
            ? File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            : null;
        var fields = line?[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 0 } && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture,
            out var limit)
            ? limit
            : int.MaxValue;
    }
}
