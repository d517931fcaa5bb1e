using Npgsql;

namespace Gateway.Tests.Faults;

/// <summary>Reads the gateway's tables directly, to check what was stored independently of the API.</summary>
internal static class FaultDatabase
{
    /// <summary>The queue ids (32 hex digits) among the given ones that have a row in messages.</summary>
    public static async Task<HashSet<string>> StoredAsync(string connectionString, IEnumerable<string> queueIds)
    {
        var ids = queueIds.Select(id => Guid.ParseExact(id, "N")).ToArray();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM messages WHERE id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored.Add(reader.GetGuid(0).ToString("N"));
        }

        return stored;
    }

    /// <summary>How many recipients are in each state.</summary>
    public static async Task<Dictionary<string, long>> RecipientStatesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT state, count(*) FROM recipients GROUP BY state", connection);
        var states = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states[reader.GetString(0)] = reader.GetInt64(1);
        }

        return states;
    }

    public static async Task<long> CountAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
