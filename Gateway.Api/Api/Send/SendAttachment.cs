namespace Gateway.Api.Api.Send;

/// <summary>An attached file.</summary>
/// <param name="FileName">Its name; non-ASCII names are encoded (RFC 2231).</param>
/// <param name="ContentType">A MIME type such as application/pdf; application/octet-stream when absent.</param>
/// <param name="Content">The bytes, base64-encoded.</param>
public sealed record SendAttachment(string? FileName, string? ContentType, string? Content);
