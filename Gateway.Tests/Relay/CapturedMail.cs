namespace Gateway.Tests.Relay;

/// <summary>
/// One message as a downstream server took it: envelope, exact data bytes, and how the session was secured.
/// </summary>
internal sealed record CapturedMail(
    string ReversePath,
    IReadOnlyList<string> Recipients,
    byte[] Data,
    string? TlsProtocol,
    string? User);
