namespace Gateway.Core.Logging;

/// <summary>
/// Event ids of the gateway's structured logs, a public contract for people who grep and alert on them.
/// Ranges: 1xxx session, 2xxx transaction, 3xxx relay, 4xxx persistence, 5xxx API, 6xxx hosting.
/// </summary>
public static class GatewayEventId
{
    public const int SessionStarted = 1000;
    public const int SessionEnded = 1001;
    public const int CommandRejected = 1002;
    public const int SessionFaulted = 1003;
    public const int EarlyTalker = 1004;
    public const int ConnectionRefused = 1005;

    // SMTP authentication and TLS (issue 4): 1100-1199.
    public const int AuthSucceeded = 1100;
    public const int AuthFailed = 1101;
    public const int AuthLockedOut = 1102;
    public const int AuthRefusedWhileLocked = 1103;
    public const int TlsStarted = 1110;
    public const int TlsHandshakeFailed = 1111;

    public const int MessageQueued = 2000;
    public const int MessageNotQueued = 2001;
    public const int ChunkReceived = 2002;

    // Relay policy refusals at MAIL/RCPT (issue 4): 2100-2199.
    public const int SenderNotAllowed = 2100;
    public const int SendingRateLimited = 2101;
    public const int AuthenticationRequired = 2102;

    public const int ClaimedRecipients = 3000;
    public const int RecipientDelivered = 3001;
    public const int RecipientDeferred = 3002;
    public const int RecipientFailed = 3003;
    public const int RelayLoopFaulted = 3004;
    public const int NextHopUnreachable = 3005;
    public const int TlsFallback = 3006;
    public const int NoticeQueued = 3007;
    public const int ResultRecordingRetried = 3008;
    public const int ResultRecordingFailed = 3009;
    public const int RelayStarted = 3010;

    public const int BatchCommitted = 4000;
    public const int BatchFailed = 4001;
    public const int MessageCommitFailed = 4002;
    public const int MigrationsApplied = 4003;

    public const int ApiKeyCreated = 5000;
    public const int ApiKeyRevoked = 5001;
    public const int OperatorActionApplied = 5002;
    public const int MessageSubmitted = 5003;
    public const int ApiKeyRejected = 5004;
    public const int WebhookDelivered = 5010;
    public const int WebhookAttemptFailed = 5011;
    public const int WebhookGaveUp = 5012;
    public const int WebhookLoopFaulted = 5013;
    // Retention (issue 8) takes 4100-4199 so that other persistence ids can grow from 4004 without clashing.
    public const int RetentionSwept = 4100;
    public const int RetentionFailed = 4101;

    public const int EmbeddedPostgresStarting = 6000;
    public const int EmbeddedPostgresStarted = 6001;
    public const int EmbeddedPostgresStopped = 6002;

    // TLS certificates (issue 4): 6100-6199.
    public const int TlsCertificateLoaded = 6100;
    public const int SelfSignedCertificateGenerated = 6101;
    public const int SelfSignedCertificateInUse = 6102;
    public const int TlsCertificateReloadFailed = 6103;

    // Operations (issue 8): roles, command line; 6200-6299.
    public const int RolesStarted = 6200;

    // Dashboard (issue 7): 5200-5299.
    public const int FirstAdminCreated = 5200;
    public const int OperatorSignedIn = 5201;
    public const int OperatorSignInFailed = 5202;
    public const int OperatorLockedOut = 5203;
    public const int OperatorSignedOut = 5204;
    public const int OperatorActionRefused = 5205;
    public const int OperatorActionTaken = 5206;

    // Highest id used in each range: 1005 (1111 in 11xx), 2002 (2102 in 21xx), 3007, 4003 (4101 in 41xx),
    // 5013 (5206 in 52xx), 6002 (6103 in 61xx, 6200 in 62xx).
}
