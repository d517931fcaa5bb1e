using Gateway.Api.Api.Auth;
using Gateway.Core.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Gateway.Api.Api;

/// <summary>Counts per state, the oldest waiting message, and throughput per minute. Scope: read.</summary>
public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/stats").WithTags("Stats").RequireAuthorization(ApiKeyDefaults.ReadPolicy)
            .MapGet("/", GetAsync).WithName("GetStats")
            .WithSummary("Recipients per state, oldest queued age, and per-minute throughput over 24 hours.");
        return routes;
    }

    private static async Task<Ok<QueueStats>> GetAsync(
        NpgsqlDataSource dataSource,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var states = Enum.GetNames<RecipientState>().ToDictionary(s => s, _ => 0L);
        await using (var command = dataSource.CreateCommand("SELECT state, count(*) FROM recipients GROUP BY state"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                states[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await using var summary = dataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM messages),
                   (SELECT min(m.received_at) FROM messages AS m
                    WHERE EXISTS (SELECT 1 FROM recipients AS r
                                  WHERE r.message_id = m.id AND r.state IN ('Queued', 'Deferred')))
            """);
        long messages;
        DateTimeOffset? oldest;
        await using (var reader = await summary.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            messages = reader.GetInt64(0);
            oldest = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
        }

        var perMinute = new List<MinuteThroughput>();
        await using (var throughput = dataSource.CreateCommand(
            """
            SELECT date_trunc('minute', at) AS minute,
                   count(*) FILTER (WHERE kind = 'Received'), count(*) FILTER (WHERE kind = 'Delivered'),
                   count(*) FILTER (WHERE kind = 'Deferred'), count(*) FILTER (WHERE kind = 'Failed')
            FROM events WHERE at >= $1
            GROUP BY minute ORDER BY minute
            """))
        {
            throughput.Parameters.Add(new NpgsqlParameter { Value = now.AddHours(-24) });
            await using var reader = await throughput.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                perMinute.Add(new MinuteThroughput(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1),
                    reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }

        return TypedResults.Ok(new QueueStats(messages, states,
            oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : null, perMinute));
    }
}
