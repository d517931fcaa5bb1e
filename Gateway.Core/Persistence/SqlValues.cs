using Npgsql;

namespace Gateway.Core.Persistence;

/// <summary>Positional parameters ($1, $2, ...) for the hand-written SQL of ingest, relay and webhooks.</summary>
internal static class SqlValues
{
    /// <summary>A batch command with one positional parameter per value; null becomes SQL NULL.</summary>
    public static NpgsqlBatchCommand Batch(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>Adds one positional parameter per value to a command; null becomes SQL NULL.</summary>
    public static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
