namespace Gateway.Smtp.Session;

/// <summary>How the content of a transaction turned out, judged by <see cref="ContentInspector"/>.</summary>
public enum DataOutcome
{
    /// <summary>Within every limit, lines well formed.</summary>
    Complete,

    /// <summary>Went past the message size limit; the rest was read and discarded.</summary>
    TooBig,

    /// <summary>Contained a bare CR or LF, which we refuse rather than guess at (see docs/smtp.md).</summary>
    BareLineEnding,

    /// <summary>The header section went past its size limit.</summary>
    HeaderTooBig,

    /// <summary>More <c>Received:</c> headers than allowed: a mail loop.</summary>
    TooManyHops,
}
