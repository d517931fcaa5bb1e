using System.Globalization;
using System.Text;
using Gateway.Core.Ingest;
using Gateway.Smtp.Protocol;

namespace Gateway.Smtp.Session;

/// <summary>The ESMTP parameters of MAIL and RCPT: SIZE, BODY, SMTPUTF8, and the DSN parameters of RFC 3461.</summary>
public sealed partial class SmtpSession
{
    // Every parameter is checked here (only after EHLO: HELO sessions have none); one we do not know is refused
    // with 555 (RFC 5321 §4.1.1.11), never ignored.
    private bool TryStartTransaction(string reversePath, MailParameters parameters, out SmtpReply refusal)
    {
        refusal = SmtpReplies.Ok;
        string? bodyType = null;
        string? ret = null;
        string? envelopeId = null;
        foreach (var (keyword, value) in parameters.Values)
        {
            SmtpReply? error = null;
            switch (_extended ? keyword : string.Empty)
            {
                case "SIZE":
                    error = CheckDeclaredSize(value);
                    break;
                case "BODY":
                    error = CheckBodyType(value, out bodyType);
                    break;
                case "SMTPUTF8" when value is not null:
                    error = SmtpReplies.SyntaxError("Syntax: SMTPUTF8 takes no value");
                    break;
                case "SMTPUTF8":
                    break;
                case "RET" when DsnParameters.TryParseReturn(value, out var normalised):
                    ret = normalised;
                    break;
                case "RET":
                    error = SmtpReplies.SyntaxError("Syntax: RET=FULL or RET=HDRS");
                    break;
                case "ENVID" when DsnParameters.IsValidEnvelopeId(value):
                    envelopeId = value;
                    break;
                case "ENVID":
                    error = SmtpReplies.SyntaxError("Syntax: ENVID=<xtext, at most 100 characters>");
                    break;
                default:
                    error = SmtpReplies.UnknownParameter(keyword);
                    break;
            }

            if (error is not null)
            {
                refusal = error;
                return false;
            }
        }

        var smtpUtf8 = parameters.Has("SMTPUTF8");
        if (!smtpUtf8 && !Ascii.IsValid(reversePath))
        {
            refusal = SmtpReplies.NonAsciiAddress;
            return false;
        }

        _transaction = new MailTransaction(reversePath, bodyType)
        {
            SmtpUtf8 = smtpUtf8,
            DsnReturn = ret,
            DsnEnvelopeId = envelopeId,
        };
        return true;
    }

    private SmtpReply? CheckDeclaredSize(string? value)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return SmtpReplies.SyntaxError("Syntax: SIZE=<octets>");
        }

        // RFC 1870 §6.2: a declared size over our limit is refused at MAIL, before any content is sent.
        return size > options.MaxMessageSize ? SmtpReplies.MessageTooBig : null;
    }

    // BINARYMIME (RFC 3030 §3) is not offered: binary content could not be relayed to a next hop without it,
    // and we do not convert content. See docs/smtp.md.
    private static SmtpReply? CheckBodyType(string? value, out string? bodyType)
    {
        bodyType = value?.ToUpperInvariant();
        return bodyType switch
        {
            "7BIT" or "8BITMIME" => null,
            "BINARYMIME" => SmtpReplies.UnknownParameter("BODY=BINARYMIME"),
            _ => SmtpReplies.SyntaxError("Syntax: BODY=7BIT or BODY=8BITMIME"),
        };
    }

    private bool TryReadRecipientParameters(MailParameters parameters, out RecipientDsn dsn, out SmtpReply refusal)
    {
        refusal = SmtpReplies.Ok;
        string? notify = null;
        string? originalRecipient = null;
        dsn = new RecipientDsn(null, null);
        foreach (var (keyword, value) in parameters.Values)
        {
            SmtpReply? error = null;
            switch (_extended ? keyword : string.Empty)
            {
                case "NOTIFY" when DsnParameters.TryParseNotify(value, out var normalised):
                    notify = normalised;
                    break;
                case "NOTIFY":
                    error = SmtpReplies.SyntaxError("Syntax: NOTIFY=NEVER or NOTIFY=SUCCESS,FAILURE,DELAY");
                    break;
                case "ORCPT" when DsnParameters.IsValidOriginalRecipient(value):
                    originalRecipient = value;
                    break;
                case "ORCPT":
                    error = SmtpReplies.SyntaxError("Syntax: ORCPT=<addr-type>;<xtext>");
                    break;
                default:
                    error = SmtpReplies.UnknownParameter(keyword);
                    break;
            }

            if (error is not null)
            {
                refusal = error;
                return false;
            }
        }

        dsn = new RecipientDsn(notify, originalRecipient);
        return true;
    }
}
