namespace Gateway.Smtp.Session;

/// <summary>One mail transaction (RFC 5321 §3.3): MAIL through end of data; RSET or a new MAIL clears it.</summary>
public sealed class MailTransaction(string reversePath, string? bodyType)
{
    /// <summary>The MAIL FROM address without brackets; empty for the null reverse-path.</summary>
    public string ReversePath { get; } = reversePath;

    public string? BodyType { get; } = bodyType;

    public List<string> Recipients { get; } = [];
}
