namespace Gateway.Api.Hosting;

/// <summary>Settings of the REST API (<c>Gateway:Api</c>). See docs/api.md.</summary>
public sealed class ApiOptions
{
    /// <summary>
    /// A key (at least 40 characters) stored with every scope when the gateway starts with no API keys at all:
    /// a way to provision the first key from configuration. Remove it once real keys exist, and revoke it.
    /// </summary>
    public string? BootstrapKey { get; set; }

    /// <summary>Largest request body accepted by API endpoints other than sending mail.</summary>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest body of <c>POST /api/v1/messages</c>. Default: none given, the SMTP message size limit plus a third
    /// for base64 in JSON, plus 64 KiB.
    /// </summary>
    public long? MaxSendBodySize { get; set; }
}
