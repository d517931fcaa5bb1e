using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// One PostgreSQL cluster for the whole test run, started on first use, each test class taking fresh databases
/// from it so classes can run in parallel. Tests that stop the server start their own instead.
/// </summary>
internal static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(StartAsync);

    public static async Task<string> NewDatabaseAsync()
    {
        var server = await Server.Value;
        return await server.CreateDatabaseAsync($"gw_{Guid.NewGuid():N}");
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var server = await PostgresServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
