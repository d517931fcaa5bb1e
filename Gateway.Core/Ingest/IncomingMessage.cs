namespace Gateway.Core.Ingest;

/// <summary>A message the SMTP listener (or the HTTP API) wants committed before it answers 250.</summary>
public sealed record IncomingMessage
{
    public required Guid Id { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required string ClientAddress { get; init; }

    public string? HeloName { get; init; }

    public string? AuthenticatedUser { get; init; }

    public string? TlsProtocol { get; init; }

    public string? TlsCipher { get; init; }

    /// <summary>Empty for the null reverse-path <c>&lt;&gt;</c>.</summary>
    public required string ReversePath { get; init; }

    public required IReadOnlyList<string> Recipients { get; init; }

    public string? BodyType { get; init; }

    public bool SmtpUtf8 { get; init; }

    /// <summary>RFC 3461 RET (FULL or HDRS), or null.</summary>
    public string? DsnReturn { get; init; }

    /// <summary>RFC 3461 ENVID, xtext as received, or null.</summary>
    public string? DsnEnvelopeId { get; init; }

    /// <summary>RFC 3461 NOTIFY and ORCPT per recipient, in the order of <see cref="Recipients"/>.</summary>
    public IReadOnlyList<RecipientDsn>? RecipientDsn { get; init; }

    public bool HasLongLines { get; init; }

    /// <summary>The bytes to store and relay: our trace header followed by the client's content.</summary>
    public required ReadOnlyMemory<byte> Content { get; init; }
}
