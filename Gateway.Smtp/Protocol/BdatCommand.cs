using System.Globalization;

namespace Gateway.Smtp.Protocol;

/// <summary>The argument of BDAT (RFC 3030 §2): <c>chunk-size [SP end-marker]</c>, where end-marker is LAST.</summary>
public readonly record struct BdatCommand(long ChunkSize, bool IsLast)
{
    public static bool TryParse(string argument, out BdatCommand command)
    {
        command = default;
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2 || parts[0].Length > 18 ||
            !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return false;
        }

        var last = parts.Length == 2;
        if (last && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        command = new BdatCommand(size, last);
        return true;
    }
}
