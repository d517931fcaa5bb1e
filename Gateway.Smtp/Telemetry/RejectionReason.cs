using Gateway.Smtp.Protocol;

namespace Gateway.Smtp.Telemetry;

/// <summary>Names why a message was refused at the end of DATA, for the <c>error.type</c> metric attribute.</summary>
internal static class RejectionReason
{
    public static string Of(SmtpReply reply) => reply.EnhancedCode switch
    {
        _ when ReferenceEquals(reply, SmtpReplies.HeaderTooBig) => "header_too_big",
        "5.3.4" => "message_too_big",
        "5.4.6" => "too_many_hops",
        "5.6.0" => "bare_line_ending",
        "4.3.0" => "store_unavailable",

        // A refusal added later gets a stable, if less readable, name until it is listed here.
        _ => $"reply_{reply.Code}_{reply.EnhancedCode ?? "none"}",
    };
}
