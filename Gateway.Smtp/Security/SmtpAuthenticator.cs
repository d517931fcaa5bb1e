using System.Net;
using Gateway.Core.Domain;
using Gateway.Core.Users;
using Gateway.Smtp.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Smtp.Security;

/// <summary>
/// What SMTP sessions ask about users: checks a login (with the failure delay and the lockout of
/// <see cref="AuthenticationGuard"/>) and whether an authenticated user may send another message now.
/// </summary>
public sealed class SmtpAuthenticator(
    IServiceScopeFactory scopes,
    AuthenticationGuard guard,
    IOptions<SmtpAuthOptions> options,
    ILogger<SmtpAuthenticator> logger)
{
    public async Task<AuthOutcome> AuthenticateAsync(string sessionId, string mechanism, string user,
        string password, IPAddress client, CancellationToken cancellationToken)
    {
        if (guard.LockedUntil(user, client) is { } until)
        {
            SecurityLog.AuthRefusedWhileLocked(logger, sessionId, user, client, until);
            await Task.Delay(options.Value.FailureDelay, cancellationToken);
            return new AuthOutcome(null, until);
        }

        SmtpUser? verified;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<SmtpUserService>();
            verified = await users.VerifyCredentialsAsync(user, password, cancellationToken);
        }

        if (verified is null)
        {
            SecurityLog.AuthFailed(logger, sessionId, user, client, mechanism);
            guard.RecordFailure(user, client);

            // The same wait for an unknown user, a disabled one and a wrong password: only the outcome is shared.
            await Task.Delay(options.Value.FailureDelay, cancellationToken);
            return AuthOutcome.Failed;
        }

        guard.RecordSuccess(user);
        SecurityLog.AuthSucceeded(logger, sessionId, verified.Name, mechanism);
        return new AuthOutcome(verified, null);
    }

    public async Task<SendingRateVerdict> CheckSendingRateAsync(SmtpUser user, CancellationToken cancellationToken)
    {
        if (user.MessagesPerMinute is null && user.MessagesPerDay is null)
        {
            return SendingRateVerdict.Allow;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<SmtpUserService>();
        return await users.CheckSendingRateAsync(user, cancellationToken);
    }
}
