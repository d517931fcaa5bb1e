using Gateway.Smtp.Protocol;

namespace Gateway.Smtp.Telemetry;

/// <summary>
/// Names why a message was refused, at the end of DATA or at MAIL or RCPT, for the <c>error.type</c> metric attribute.
/// </summary>
internal static class RejectionReason
{
    public static string Of(SmtpReply reply) => reply.EnhancedCode switch
    {
        _ when ReferenceEquals(reply, SmtpReplies.HeaderTooBig) => "header_too_big",
        "5.3.4" => "message_too_big",
        "5.4.6" => "too_many_hops",
        "5.6.0" => "bare_line_ending",
        "4.3.0" => "store_unavailable",
        "5.7.1" when reply.Code == 554 => "relay_denied",
        "5.7.1" => "sender_not_allowed",
        "5.7.0" => "auth_required",
        "4.7.1" => "rate_limited",
        "4.5.3" => "too_many_recipients",
        "5.6.7" => "smtputf8_required",
        _ when reply.Code == 555 => "unknown_parameter",
        _ when reply.Code == 501 => "bad_syntax",

        // A refusal added later gets a stable, if less readable, name until it is listed here.
        _ => $"reply_{reply.Code}_{reply.EnhancedCode ?? "none"}",
    };
}
