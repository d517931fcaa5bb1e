using System.Globalization;
using Gateway.Core.Domain;
using Gateway.Core.Users;
using Gateway.Smtp.Logging;
using Gateway.Smtp.Protocol;
using Gateway.Smtp.Security;

namespace Gateway.Smtp.Session;

/// <summary>
/// The security half of the session: STARTTLS (RFC 3207), AUTH PLAIN and LOGIN (RFC 4954), and the relay policy
/// (trusted network or authenticated user, allowed senders, per-user limits). <see cref="HandleAsync"/> is the
/// entry point for command lines; what it does not handle itself goes to <see cref="Handle"/>.
/// </summary>
public sealed partial class SmtpSession
{
    private SmtpUser? _user;
    private SaslStep? _saslStep;
    private string? _saslMechanism;
    private string? _loginUser;

    /// <summary>The listener the client connected to; decides whether STARTTLS and AUTH are offered.</summary>
    public SmtpListenerOptions Listener { get; init; } = new() { Mode = "plain" };

    /// <summary>Checks logins and rates; null when the host has no user store (then AUTH is not offered).</summary>
    public SmtpAuthenticator? Authenticator { get; init; }

    /// <summary>The TLS layer's facts once it is up (from the first byte on an implicit-TLS listener).</summary>
    public TlsFacts? Tls { get; private set; }

    /// <summary>The user the client authenticated as, if it did.</summary>
    public string? AuthenticatedUser => _user?.Name;

    /// <summary>RFC 5321 §4.1.4 relaying: the client is in a trusted network, or it authenticated.</summary>
    private bool MayRelay => clientIsTrusted || _user is not null;

    /// <summary>Whether AUTH is offered now: over TLS, or on a listener that allows it in the clear.</summary>
    private bool AuthOffered => Authenticator is not null && (Tls is not null || Listener.AllowAuthWithoutTls);

    /// <summary>Whether AUTH is or will be (after STARTTLS) offered on this connection.</summary>
    private bool AuthAvailable => AuthOffered ||
                                  (Authenticator is not null && Listener.ParsedMode == SmtpListenerMode.StartTls);

    // RFC 3848 protocol names (ESMTP, ESMTPS, ESMTPA, ESMTPSA), and RFC 6531's UTF8SMTP with the same suffixes.
    private string ProtocolName(bool smtpUtf8) => !_extended
        ? "SMTP"
        : (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (Tls is null ? "" : "S") + (_user is null ? "" : "A");

    /// <summary>
    /// Handles one line from the client: a command, or the client's answer inside an AUTH exchange. AUTH,
    /// STARTTLS and the policy checks of MAIL and RCPT live here; every other command goes to <see cref="Handle"/>.
    /// </summary>
    public async Task<(SmtpReply Reply, SessionAction Action)> HandleAsync(string line,
        CancellationToken cancellationToken)
    {
        if (_saslStep is not null)
        {
            return CountErrors("AUTH", await ContinueAuthAsync(line, cancellationToken), SessionAction.Continue);
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var argument = space < 0 ? string.Empty : line[(space + 1)..];
        switch (verb)
        {
            case "AUTH":
                return CountErrors(verb, await StartAuthAsync(argument, cancellationToken), SessionAction.Continue);
            case "STARTTLS":
                return StartTls(argument);
            case "MAIL":
                return await MailWithPolicyAsync(line, cancellationToken);
            case "RCPT" when _user?.MaxRecipientsPerMessage is { } max && _transaction?.Recipients.Count >= max:
                return CountErrors(verb, new SmtpReply(452, "4.5.3",
                    $"Too many recipients: user {_user.Name} may give at most {max} per message"),
                    SessionAction.Continue);
            default:
                return Handle(line);
        }
    }

    /// <summary>The EHLO keywords this half adds (RFC 3207 §4, RFC 4954 §3).</summary>
    private IEnumerable<string> SecurityExtensions()
    {
        if (Listener.ParsedMode == SmtpListenerMode.StartTls && Tls is null)
        {
            yield return "STARTTLS";
        }

        if (AuthOffered)
        {
            yield return "AUTH PLAIN LOGIN";
        }
    }

    /// <summary>Called once TLS is up after STARTTLS: RFC 3207 §4.2 makes the session start over.</summary>
    public void TlsStarted(TlsFacts facts)
    {
        Tls = facts;
        _heloName = null;
        _extended = false;
        _transaction = null;
        _user = null;
        _saslStep = null;
        SecurityLog.TlsStarted(logger, SessionId, facts.Protocol, facts.Cipher);
    }

    /// <summary>Records the TLS facts of an implicit-TLS connection, before the greeting.</summary>
    public void TlsEstablished(TlsFacts facts) => Tls = facts;

    private (SmtpReply, SessionAction) StartTls(string argument)
    {
        if (Listener.ParsedMode != SmtpListenerMode.StartTls || Tls is not null)
        {
            return CountErrors("STARTTLS", Tls is not null
                ? SmtpReplies.BadSequence("TLS is already active")
                : new SmtpReply(502, "5.5.1", "STARTTLS is not offered on this port"), SessionAction.Continue);
        }

        if (argument.Length > 0)
        {
            return CountErrors("STARTTLS", SmtpReplies.SyntaxError("Syntax: STARTTLS takes no argument"),
                SessionAction.Continue);
        }

        return (new SmtpReply(220, "2.0.0", "Ready to start TLS"), SessionAction.StartTls);
    }

    private async Task<SmtpReply> StartAuthAsync(string argument, CancellationToken cancellationToken)
    {
        if (!AuthOffered)
        {
            // RFC 4954 §6: 538 when the mechanism needs an encrypted connection first.
            return AuthAvailable
                ? new SmtpReply(538, "5.7.11", "Encryption required for requested authentication mechanism: " +
                                               "issue STARTTLS first")
                : new SmtpReply(502, "5.5.1", "AUTH is not offered on this port");
        }

        if (!_extended)
        {
            return SmtpReplies.BadSequence("Send EHLO first");
        }

        if (_user is not null)
        {
            return SmtpReplies.BadSequence("Already authenticated");
        }

        if (_transaction is not null)
        {
            return SmtpReplies.BadSequence("AUTH is not allowed during a mail transaction");
        }

        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2)
        {
            return SmtpReplies.SyntaxError("Syntax: AUTH mechanism [initial-response]");
        }

        var mechanism = parts[0].ToUpperInvariant();
        var initial = parts.Length == 2 ? parts[1] : null;
        _saslMechanism = mechanism;
        switch (mechanism)
        {
            case "PLAIN" when initial is null:
                _saslStep = SaslStep.PlainResponse;
                return new SmtpReply(334, null, string.Empty);
            case "PLAIN":
                _saslStep = SaslStep.PlainResponse;
                return await ContinueAuthAsync(initial, cancellationToken);
            case "LOGIN" when initial is null:
                _saslStep = SaslStep.LoginUser;
                return new SmtpReply(334, null, "VXNlcm5hbWU6"); // "Username:"
            case "LOGIN":
                _saslStep = SaslStep.LoginUser;
                return await ContinueAuthAsync(initial, cancellationToken);
            default:
                return new SmtpReply(504, "5.5.4", "Unrecognized authentication mechanism; use PLAIN or LOGIN");
        }
    }

    private async Task<SmtpReply> ContinueAuthAsync(string response, CancellationToken cancellationToken)
    {
        var step = _saslStep!.Value;
        if (response == "*")
        {
            EndSasl();
            return new SmtpReply(501, "5.0.0", "Authentication cancelled");
        }

        if (!TryDecodeBase64(response, out var decoded))
        {
            EndSasl();
            return new SmtpReply(501, "5.5.2", "Cannot decode the response as base64");
        }

        switch (step)
        {
            case SaslStep.LoginUser:
                _loginUser = decoded;
                _saslStep = SaslStep.LoginPassword;
                return new SmtpReply(334, null, "UGFzc3dvcmQ6"); // "Password:"
            case SaslStep.LoginPassword:
                return await VerifyAsync(_loginUser!, decoded, cancellationToken);
            default:
                return await VerifyPlainAsync(decoded, cancellationToken);
        }
    }

    // RFC 4616: [authzid] NUL authcid NUL passwd. We let a user act only as itself: an authorization identity
    // that is not empty and not the user's own name fails like a wrong password.
    private async Task<SmtpReply> VerifyPlainAsync(string message, CancellationToken cancellationToken)
    {
        var fields = message.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0)
        {
            EndSasl();
            return new SmtpReply(501, "5.5.2", "Malformed PLAIN response: expected authzid NUL user NUL password");
        }

        var (authorizationId, user, password) = (fields[0], fields[1], fields[2]);
        var actsAsSelf = authorizationId.Length == 0 ||
                         string.Equals(authorizationId, user, StringComparison.OrdinalIgnoreCase);
        return await VerifyAsync(user, actsAsSelf ? password : string.Empty, cancellationToken);
    }

    private async Task<SmtpReply> VerifyAsync(string user, string password, CancellationToken cancellationToken)
    {
        var mechanism = _saslMechanism!;
        EndSasl();
        var outcome = await Authenticator!.AuthenticateAsync(SessionId, mechanism, user, password, ClientAddress,
            cancellationToken);
        if (outcome.LockedUntil is { } until)
        {
            return new SmtpReply(454, "4.7.0", "Temporary authentication failure: too many failed logins; try " +
                                               $"again after {until.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}");
        }

        if (!outcome.Succeeded)
        {
            return new SmtpReply(535, "5.7.8", "Authentication credentials invalid");
        }

        _user = outcome.User;
        return new SmtpReply(235, "2.7.0", "Authentication successful");
    }

    private void EndSasl()
    {
        _saslStep = null;
        _saslMechanism = null;
        _loginUser = null;
    }

    // "=" stands for an empty initial response (RFC 4954 §4).
    private static bool TryDecodeBase64(string text, out string decoded)
    {
        decoded = string.Empty;
        if (text == "=")
        {
            return true;
        }

        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
        {
            return false;
        }

        try
        {
            decoded = new System.Text.UTF8Encoding(false, true).GetString(bytes, 0, length);
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }

    private async Task<(SmtpReply, SessionAction)> MailWithPolicyAsync(string line,
        CancellationToken cancellationToken)
    {
        var outcome = Handle(line);
        if (outcome.Reply.Code != 250 || _transaction is null)
        {
            return outcome;
        }

        var refusal = await SenderRefusalAsync(_transaction.ReversePath, cancellationToken);
        if (refusal is null)
        {
            return outcome;
        }

        _transaction = null;
        return CountErrors("MAIL", refusal, SessionAction.Continue);
    }

    private async Task<SmtpReply?> SenderRefusalAsync(string reversePath, CancellationToken cancellationToken)
    {
        if (_user is null)
        {
            if (clientIsTrusted || !AuthAvailable)
            {
                // Untrusted clients on a port without AUTH get 554 5.7.1 at RCPT instead.
                return null;
            }

            SecurityLog.AuthenticationRequired(logger, SessionId, ClientAddress);
            return new SmtpReply(530, "5.7.0", "Authentication required");
        }

        if (!SenderAllowList.Permits(_user.AllowedSenders, reversePath))
        {
            SecurityLog.SenderNotAllowed(logger, SessionId, _user.Name, reversePath);
            return new SmtpReply(553, "5.7.1", $"Sender address <{reversePath}> is not allowed for user {_user.Name}");
        }

        var rate = await Authenticator!.CheckSendingRateAsync(_user, cancellationToken);
        if (rate.Allowed)
        {
            return null;
        }

        var retryAfter = rate.RetryAfter!.Value;
        SecurityLog.SendingRateLimited(logger, SessionId, _user.Name, rate.Limit!, retryAfter);
        var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter - time.GetUtcNow()).TotalSeconds));
        return new SmtpReply(450, "4.7.1", string.Create(CultureInfo.InvariantCulture,
            $"Rate limit reached for user {_user.Name} ({rate.Limit}); try again after " +
            $"{retryAfter.UtcDateTime:u} (in {seconds} s)"));
    }
}
