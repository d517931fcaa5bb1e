using System.Globalization;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Owns one <see cref="PostgresServer"/> for the whole test run (through <see cref="PostgresCollection"/>) and
/// hands out a fresh, uniquely named database per call.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? server;
    private int databaseCounter;

    /// <summary>The shared server; tests in the "postgres" collection run one at a time, so they may stop it.</summary>
    public PostgresServer Server => server
        ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialized.");

    /// <summary>Creates a new empty database and returns its connection string.</summary>
    public Task<string> NewDatabaseAsync()
    {
        var number = Interlocked.Increment(ref databaseCounter);
        var name = string.Create(CultureInfo.InvariantCulture, $"gw_test_{number}_{Guid.NewGuid():N}");
        return Server.CreateDatabaseAsync(name);
    }

    public async Task InitializeAsync()
    {
        server = await PostgresServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
