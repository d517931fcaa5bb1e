using Gateway.Tests.Hosting;
using Gateway.Web.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Tests.Dashboard;

/// <summary>The overview's numbers, read from a database whose events the test wrote itself.</summary>
public sealed class OverviewDataTests : IAsyncLifetime
{
    private string _database = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _database = await SharedPostgres.NewDatabaseAsync();
        _gateway = GatewayHost.Start(_database, new Dictionary<string, string?> { ["Gateway:Roles"] = "web" });
    }

    // A failed recipient also leaves a Bounced event on its message (the notice queued for the sender); the chart
    // counted both, so one failure showed as two.
    [Fact]
    public async Task PerMinute_FailedRecipientWithItsBounce_CountsOneFailure()
    {
        var message = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO events (message_id, kind, at, details)
                VALUES ($1, 'Received', $2, ''), ($1, 'Delivered', $2, ''), ($1, 'Failed', $2, ''),
                       ($1, 'Bounced', $2, '')
                """, connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = message });
            insert.Parameters.Add(new NpgsqlParameter { Value = now });
            await insert.ExecuteNonQueryAsync();
        }

        await using var scope = _gateway.Services.CreateAsyncScope();
        var stats = await scope.ServiceProvider.GetRequiredService<DashboardData>()
            .OverviewAsync(CancellationToken.None);

        Assert.Equal((1L, 1L, 1L), (stats.PerMinute.Sum(p => p.Accepted), stats.PerMinute.Sum(p => p.Delivered),
            stats.PerMinute.Sum(p => p.Failed)));
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();
}
