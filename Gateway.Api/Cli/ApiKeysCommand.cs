using Gateway.Api.Api;
using Gateway.Core.ApiKeys;
using Gateway.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Api.Cli;

/// <summary>
/// <c>apikeys create --name NAME --scopes read,send,manage [--sender ADDRESS]... [--per-minute N] [--per-day N]</c>,
/// <c>apikeys list</c> and
/// <c>apikeys revoke ID</c>, run against the configured database (migrated first). The token is printed once.
/// </summary>
public static class ApiKeysCommand
{
    public const string Summary =
        "create --name N --scopes read,send,manage [--sender A]... [--per-minute N] [--per-day N] | list | revoke ID";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output,
        TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<GatewayDbContext>().Database
            .MigrateExclusivelyAsync(CancellationToken.None);
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        switch (args)
        {
            case ["create", .. var options]:
                return await CreateAsync(keys, options, output, error);
            case ["list"]:
                foreach (var key in await keys.ListAsync(CancellationToken.None))
                {
                    await output.WriteLineAsync(
                        $"{key.Id}  {key.Prefix}  {key.Name}  {string.Join(",", ApiScopes.Names(key.Scopes))}" +
                        $"  limits {key.MessagesPerMinute?.ToString() ?? "-"}/min {key.MessagesPerDay?.ToString() ?? "-"}/day" +
                        $"  by {key.CreatedBy ?? "-"}  last used {key.LastUsedAt?.ToString("u") ?? "never"}" +
                        (key.RevokedAt is null ? string.Empty : "  revoked"));
                }

                return 0;
            case ["revoke", var id] when Guid.TryParse(id, out var keyId):
                var found = await keys.RevokeAsync(keyId, CancellationToken.None);
                await (found ? output : error).WriteLineAsync(found ? "Revoked." : "No such key.");
                return found ? 0 : 1;
            default:
                await error.WriteLineAsync(
                    "Usage: apikeys create --name NAME --scopes read,send,manage [--sender ADDRESS]... " +
                    "[--per-minute N] [--per-day N] | " +
                    "apikeys list | apikeys revoke ID");
                return 2;
        }
    }

    private static async Task<int> CreateAsync(ApiKeyService keys, string[] options, TextWriter output,
        TextWriter error)
    {
        string? name = null;
        var scopeNames = new List<string>();
        var senders = new List<string>();
        int? perMinute = null;
        int? perDay = null;
        var badLimit = false;
        for (var i = 0; i + 1 < options.Length; i += 2)
        {
            switch (options[i])
            {
                case "--name": name = options[i + 1]; break;
                case "--scopes": scopeNames.Add(options[i + 1]); break;
                case "--sender": senders.Add(options[i + 1]); break;
                case "--per-minute": perMinute = PositiveOrNull(options[i + 1], ref badLimit); break;
                case "--per-day": perDay = PositiveOrNull(options[i + 1], ref badLimit); break;
                default:
                    await error.WriteLineAsync($"Unknown option {options[i]}.");
                    return 2;
            }
        }

        if (string.IsNullOrWhiteSpace(name) || !ApiScopes.TryParse(scopeNames, out var scopes) ||
            senders.Any(s => !SenderRules.IsValidRule(s)) || badLimit)
        {
            await error.WriteLineAsync("Give --name and --scopes (read, send, manage); --sender takes an address " +
                                       "or @domain; --per-minute and --per-day a positive number.");
            return 2;
        }

        var created = await keys.CreateAsync(name, scopes, senders, "cli", new ApiKeyLimits(perMinute, perDay),
            CancellationToken.None);

        await output.WriteLineAsync($"Created API key {created.Key.Prefix} ({created.Key.Id}).");
        await output.WriteLineAsync("Store this key now; it is not shown again:");
        await output.WriteLineAsync(created.Token);
        return 0;
    }

    private static int? PositiveOrNull(string text, ref bool bad)
    {
        if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        bad = true;
        return null;
    }
}
