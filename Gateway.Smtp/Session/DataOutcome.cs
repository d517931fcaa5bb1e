namespace Gateway.Smtp.Session;

/// <summary>How the data phase of a transaction ended.</summary>
public enum DataOutcome
{
    /// <summary>Terminated by CRLF.CRLF, within the size limit, lines well formed.</summary>
    Complete,

    /// <summary>Went past the message size limit; the rest was read and discarded.</summary>
    TooBig,

    /// <summary>Contained a bare CR or LF, which we refuse rather than guess at (see docs/smtp.md).</summary>
    BareLineEnding,
}
