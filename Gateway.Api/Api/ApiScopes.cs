using System.Globalization;
using Gateway.Core.Domain;

namespace Gateway.Api.Api;

/// <summary>Scope names on the wire (read, send, manage) and back.</summary>
public static class ApiScopes
{
    public static IReadOnlyList<string> Names(ApiScope scopes) =>
    [
        .. Enum.GetValues<ApiScope>().Where(s => s != ApiScope.None && scopes.HasFlag(s))
            .Select(s => s.ToString().ToLower(CultureInfo.InvariantCulture)),
    ];

    public static bool TryParse(IEnumerable<string> names, out ApiScope scopes)
    {
        scopes = ApiScope.None;
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<ApiScope>(name, ignoreCase: true, out var scope) || scope == ApiScope.None ||
                !Enum.IsDefined(scope) || int.TryParse(name, out _))
            {
                return false;
            }

            scopes |= scope;
        }

        return scopes != ApiScope.None;
    }
}
