namespace Gateway.Api.Api.Send;

/// <summary>
/// Mail to build and queue. Addresses are <c>user@example.com</c> or <c>Name &lt;user@example.com&gt;</c>.
/// No field may contain CR or LF: such a request is refused, so no value can add a header or a recipient.
/// </summary>
/// <param name="From">The author; also the envelope reverse-path.</param>
/// <param name="To">Recipients shown in To.</param>
/// <param name="Cc">Recipients shown in Cc.</param>
/// <param name="Bcc">Recipients not shown in any header.</param>
/// <param name="ReplyTo">Reply-To addresses.</param>
/// <param name="Subject">The subject, encoded as RFC 2047 words when not ASCII.</param>
/// <param name="Text">The text/plain body.</param>
/// <param name="Html">The text/html body.</param>
/// <param name="Attachments">Files, base64-encoded.</param>
/// <param name="Headers">Extra headers (X-*, List-Unsubscribe, ...); address and MIME headers are refused.</param>
public sealed record SendRequest(
    string? From,
    IReadOnlyList<string>? To,
    IReadOnlyList<string>? Cc,
    IReadOnlyList<string>? Bcc,
    IReadOnlyList<string>? ReplyTo,
    string? Subject,
    string? Text,
    string? Html,
    IReadOnlyList<SendAttachment>? Attachments,
    IReadOnlyDictionary<string, string>? Headers);
