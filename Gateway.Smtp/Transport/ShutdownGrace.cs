using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Transport;

/// <summary>
/// Graceful shutdown of the SMTP listener. When the host starts stopping, Kestrel stops accepting connections;
/// sessions outside a transaction get 421 at once, sessions inside one may finish it until
/// <see cref="SmtpOptions.ShutdownGracePeriod"/> has passed, then get 421 too. Nothing acknowledged is lost,
/// because 250 is only sent after the commit, and the ingest service stops after Kestrel.
/// </summary>
public sealed class ShutdownGrace : IDisposable
{
    private readonly CancellationTokenSource _expired = new();
    private readonly CancellationTokenRegistration _registration;

    public ShutdownGrace(IOptions<SmtpOptions> options, IHostApplicationLifetime lifetime)
    {
        Stopping = lifetime.ApplicationStopping;
        var grace = options.Value.ShutdownGracePeriod;
        _registration = Stopping.Register(() => _expired.CancelAfter(grace));
    }

    /// <summary>Cancelled when the host begins to stop.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Cancelled when the grace period after <see cref="Stopping"/> has run out.</summary>
    public CancellationToken Expired => _expired.Token;

    public bool IsStopping => Stopping.IsCancellationRequested;

    public void Dispose()
    {
        _registration.Dispose();
        _expired.Dispose();
    }
}
