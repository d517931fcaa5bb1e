namespace Gateway.Api.Api.Send;

/// <summary>A message ready to queue: its envelope and its bytes (without our trace header).</summary>
public sealed record ComposedMessage(
    string ReversePath,
    IReadOnlyList<string> Recipients,
    byte[] Content,
    bool SmtpUtf8);
