using Gateway.Core.Hosting;

namespace Gateway.Api.Hosting;

/// <summary>
/// Where the database is: the configured connection string, or else the private cluster started on first use.
/// Resolved lazily so that configuration added by a test host or the command line is seen.
/// </summary>
public sealed class DatabaseEndpoint(IConfiguration configuration, ILogger<EmbeddedPostgres> logger) : IDisposable
{
    private readonly Lazy<(string ConnectionString, EmbeddedPostgres? Embedded)> _endpoint = new(() =>
    {
        var configured = configuration.GetConnectionString("Gateway");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return (configured, null);
        }

        var dataDirectory = configuration["Gateway:DataDirectory"] ?? "data";
        var embedded = EmbeddedPostgres.Start(dataDirectory, logger);
        return (embedded.ConnectionString, embedded);
    });

    public string ConnectionString => _endpoint.Value.ConnectionString;

    public void Dispose()
    {
        if (_endpoint.IsValueCreated)
        {
            _endpoint.Value.Embedded?.Dispose();
        }
    }
}
