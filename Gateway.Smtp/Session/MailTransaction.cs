using Gateway.Core.Ingest;

namespace Gateway.Smtp.Session;

/// <summary>One mail transaction (RFC 5321 §3.3): MAIL through end of data; RSET or a new MAIL clears it.</summary>
public sealed class MailTransaction(string reversePath, string? bodyType)
{
    /// <summary>The MAIL FROM address without brackets; empty for the null reverse-path.</summary>
    public string ReversePath { get; } = reversePath;

    public string? BodyType { get; } = bodyType;

    /// <summary>MAIL carried SMTPUTF8 (RFC 6531 §3.4): addresses and headers may hold UTF-8.</summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>RFC 3461 RET: FULL or HDRS.</summary>
    public string? DsnReturn { get; init; }

    /// <summary>RFC 3461 ENVID, xtext as received.</summary>
    public string? DsnEnvelopeId { get; init; }

    public List<string> Recipients { get; } = [];

    /// <summary>NOTIFY and ORCPT of each recipient, in the order of <see cref="Recipients"/>.</summary>
    public List<RecipientDsn> RecipientDsn { get; } = [];

    /// <summary>True once a BDAT chunk was accepted: DATA may not follow in this transaction (RFC 3030 §3).</summary>
    public bool UsesChunking { get; set; }

    public void AddRecipient(string forwardPath, RecipientDsn dsn)
    {
        Recipients.Add(forwardPath);
        RecipientDsn.Add(dsn);
    }
}
