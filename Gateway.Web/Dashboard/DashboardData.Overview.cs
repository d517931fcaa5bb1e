using Gateway.Core.Domain;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Web.Dashboard;

public sealed partial class DashboardData
{
    /// <summary>How far back the overview's chart reaches.</summary>
    public static readonly TimeSpan ChartSpan = TimeSpan.FromHours(3);

    public async Task<OverviewStats> OverviewAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var source = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
        var now = time.GetUtcNow();

        var states = Enum.GetValues<RecipientState>().ToDictionary(s => s, _ => 0L);
        await foreach (var row in QueryAsync(source, "SELECT state, count(*) FROM recipients GROUP BY state", [],
                           r => (State: r.GetString(0), Count: r.GetInt64(1)), cancellationToken))
        {
            if (Enum.TryParse<RecipientState>(row.State, out var state))
            {
                states[state] = row.Count;
            }
        }

        var (messages, oldest) = await QueryAsync(source,
            """
            SELECT (SELECT count(*) FROM messages),
                   (SELECT min(m.received_at) FROM messages AS m
                    WHERE EXISTS (SELECT 1 FROM recipients AS r
                                  WHERE r.message_id = m.id AND r.state IN ('Queued', 'Deferred')))
            """, [], r => (r.GetInt64(0), r.IsDBNull(1) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(1)),
            cancellationToken).SingleAsync(cancellationToken);

        var perMinute = await QueryAsync(source,
            """
            SELECT date_trunc('minute', at),
                   count(*) FILTER (WHERE kind = 'Received'), count(*) FILTER (WHERE kind = 'Delivered'),
                   count(*) FILTER (WHERE kind = 'Failed')
            FROM events WHERE at >= $1 GROUP BY 1 ORDER BY 1
            """, [now - ChartSpan],
            r => new MinutePoint(r.GetFieldValue<DateTimeOffset>(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)),
            cancellationToken).ToListAsync(cancellationToken);

        var topFailing = await QueryAsync(source,
            """
            SELECT lower(split_part(address, '@', 2)) AS domain,
                   count(*) FILTER (WHERE state = 'Failed'), count(*) FILTER (WHERE state = 'Deferred')
            FROM recipients WHERE state IN ('Failed', 'Deferred') AND updated_at >= $1
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5
            """, [now.AddDays(-1)],
            r => new DestinationFailures(r.GetString(0), r.GetInt64(1), r.GetInt64(2)),
            cancellationToken).ToListAsync(cancellationToken);

        var recent = await QueryAsync(source,
            """
            SELECT r.message_id, r.address, r.state,
                   concat_ws(' ', r.last_reply_code, r.last_enhanced_code, r.last_reply_text), r.updated_at, m.subject
            FROM recipients AS r JOIN messages AS m ON m.id = r.message_id
            WHERE r.state IN ('Failed', 'Deferred') ORDER BY r.updated_at DESC LIMIT 10
            """, [],
            r => new FailureRow(r.GetGuid(0), r.GetString(1), Enum.Parse<RecipientState>(r.GetString(2)),
                r.IsDBNull(3) ? null : r.GetString(3), r.GetFieldValue<DateTimeOffset>(4),
                r.IsDBNull(5) ? null : r.GetString(5)),
            cancellationToken).ToListAsync(cancellationToken);

        return new OverviewStats(states, messages, oldest is { } o ? now - o : null, perMinute, topFailing, recent);
    }

    private static async IAsyncEnumerable<T> QueryAsync<T>(
        NpgsqlDataSource source,
        string sql,
        object[] parameters,
        Func<NpgsqlDataReader, T> read,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return read(reader);
        }
    }
}
