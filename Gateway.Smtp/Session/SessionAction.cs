namespace Gateway.Smtp.Session;

/// <summary>What the transport does after a command's reply is written.</summary>
public enum SessionAction
{
    Continue,
    ReadData,

    /// <summary>Read exactly <see cref="SmtpSession.PendingChunkSize"/> octets of BDAT chunk, then reply.</summary>
    ReadChunk,
    Close,

    /// <summary>Reply sent; discard any plaintext read after the command and start the TLS handshake.</summary>
    StartTls,
}
