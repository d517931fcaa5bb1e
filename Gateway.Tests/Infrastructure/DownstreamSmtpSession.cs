using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>One SMTP connection of <see cref="DownstreamSmtpServer"/>.</summary>
internal sealed class DownstreamSmtpSession
{
    private const int MaxCommandLineLength = 4096;

    private readonly DownstreamSmtpServer server;
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly CancellationTokenSource aborted = new();
    private readonly List<string> recipients = [];
    private byte[] buffer = new byte[16 * 1024];
    private int buffered;
    private string? clientName;
    private string? reversePath;
    private List<string> mailParameters = [];
    private MemoryStream? data;
    private bool dataAtLineStart;

    public DownstreamSmtpSession(DownstreamSmtpServer server, Socket socket, int number)
    {
        this.server = server;
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
        Number = number;
    }

    public int Number { get; }

    private DownstreamScript Script => server.Script;

    private bool Utf8Allowed => mailParameters.Contains("SMTPUTF8", StringComparer.OrdinalIgnoreCase);

    /// <summary>Closes the connection at once, whatever the session is doing.</summary>
    public void Abort()
    {
        aborted.Cancel();
        socket.Dispose();
    }

    public async Task RunAsync()
    {
        try
        {
            var greeting = Script.Greeting ?? new DownstreamReply(220, Script.Hostname + " ESMTP test server ready");
            if (!await ReplyAsync(greeting))
            {
                return;
            }

            while (await ReadMoreAsync())
            {
                if (!await ProcessBufferAsync())
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (
            exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server was stopped.
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private async Task<bool> ReadMoreAsync()
    {
        if (buffered == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var read = await stream.ReadAsync(buffer.AsMemory(buffered), aborted.Token);
        buffered += read;
        return read > 0;
    }

    /// <summary>Handles every complete line in the buffer, in order (this is what makes pipelining work).</summary>
    private async Task<bool> ProcessBufferAsync()
    {
        var offset = 0;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', offset, buffered - offset);
            if (newline < 0)
            {
                break;
            }

            var length = newline + 1 - offset;
            var keepOpen = data is null
                ? await HandleCommandAsync(DecodeCommand(offset, length))
                : await HandleDataLineAsync(offset, length);
            offset += length;
            if (!keepOpen)
            {
                return false;
            }
        }

        Buffer.BlockCopy(buffer, offset, buffer, 0, buffered - offset);
        buffered -= offset;
        if (data is null && buffered > MaxCommandLineLength)
        {
            await ReplyAsync(new DownstreamReply(500, "5.5.6 Line too long", CloseConnection: true));
            return false;
        }

        return true;
    }

    private string DecodeCommand(int offset, int length)
    {
        var end = length >= 2 && buffer[offset + length - 2] == '\r' ? length - 2 : length - 1;
        return Encoding.UTF8.GetString(buffer, offset, end);
    }

    private async Task<bool> HandleDataLineAsync(int offset, int length)
    {
        var content = data!;
        var endsWithCrLf = length >= 2 && buffer[offset + length - 2] == '\r';
        if (dataAtLineStart && length == 3 && buffer[offset] == '.' && endsWithCrLf)
        {
            return await FinishDataAsync(content);
        }

        if (dataAtLineStart && buffer[offset] == '.')
        {
            offset++;
            length--;
        }

        content.Write(buffer, offset, length);
        dataAtLineStart = endsWithCrLf;
        return true;
    }

    private async Task<bool> FinishDataAsync(MemoryStream content)
    {
        data = null;
        var mail = new ReceivedMail
        {
            ReversePath = reversePath ?? string.Empty,
            Recipients = [.. recipients],
            Content = content.ToArray(),
            MailParameters = mailParameters,
            ClientName = clientName ?? string.Empty,
            ConnectionNumber = Number,
        };
        ResetTransaction();

        var reply = mail.Content.LongLength > Script.MaxMessageSize
            ? new DownstreamReply(552, "5.3.4 Message size exceeds fixed limit")
            : Script.NextDataReply(mail) ?? new DownstreamReply(
                250,
                string.Create(CultureInfo.InvariantCulture, $"2.0.0 Ok: queued as {Number}-{mail.Content.Length}"));
        if (IsPositive(reply))
        {
            server.RecordMessage(mail);
        }

        return await ReplyAsync(reply, Script.DataReplyDelay);
    }

    private Task<bool> HandleCommandAsync(string line)
    {
        server.RecordCommand(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var argument = space < 0 ? string.Empty : line[(space + 1)..].Trim();
        return verb switch
        {
            "EHLO" => HandleEhloAsync(argument),
            "HELO" => HandleHeloAsync(argument),
            "MAIL" => HandleMailAsync(argument),
            "RCPT" => HandleRcptAsync(argument),
            "DATA" => HandleDataAsync(argument),
            "RSET" => ResetAndReplyAsync(),
            "NOOP" => ReplyAsync(DownstreamReply.Ok),
            "VRFY" => ReplyAsync(new DownstreamReply(252, "2.5.0 Cannot VRFY user")),
            "QUIT" => ReplyAsync(new DownstreamReply(221, "2.0.0 Bye", CloseConnection: true)),
            _ => ReplyAsync(new DownstreamReply(500, "5.5.2 Command not recognized")),
        };
    }

    private Task<bool> HandleEhloAsync(string argument)
    {
        if (argument.Length == 0)
        {
            return ReplyAsync(new DownstreamReply(501, "5.5.4 EHLO needs a domain"));
        }

        clientName = argument;
        ResetTransaction();
        var lines = new List<string>
        {
            Script.Hostname + " greets " + argument,
            "PIPELINING",
            string.Create(CultureInfo.InvariantCulture, $"SIZE {Script.MaxMessageSize}"),
            "ENHANCEDSTATUSCODES",
        };
        if (Script.Advertise8BitMime)
        {
            lines.Insert(2, "8BITMIME");
        }

        if (Script.AdvertiseSmtpUtf8)
        {
            lines.Add("SMTPUTF8");
        }

        if (Script.AdvertiseDsn)
        {
            lines.Add("DSN");
        }

        return ReplyAsync(new DownstreamReply(250, string.Join('\n', lines)));
    }

    private Task<bool> HandleHeloAsync(string argument)
    {
        if (argument.Length == 0)
        {
            return ReplyAsync(new DownstreamReply(501, "5.5.4 HELO needs a domain"));
        }

        clientName = argument;
        ResetTransaction();
        return ReplyAsync(new DownstreamReply(250, Script.Hostname));
    }

    private Task<bool> HandleMailAsync(string argument)
    {
        if (clientName is null)
        {
            return ReplyAsync(new DownstreamReply(503, "5.5.1 Send EHLO or HELO first"));
        }

        if (reversePath is not null)
        {
            return ReplyAsync(new DownstreamReply(503, "5.5.1 Nested MAIL command"));
        }

        if (!TryParsePath(argument, "FROM:", out var address, out var parameters))
        {
            return ReplyAsync(new DownstreamReply(501, "5.5.4 Syntax: MAIL FROM:<address>"));
        }

        var smtpUtf8 = parameters.Contains("SMTPUTF8", StringComparer.OrdinalIgnoreCase);
        if (smtpUtf8 && !Script.AdvertiseSmtpUtf8)
        {
            return ReplyAsync(new DownstreamReply(555, "5.5.4 SMTPUTF8 not supported"));
        }

        if (!smtpUtf8 && !Ascii.IsValid(address))
        {
            return ReplyAsync(new DownstreamReply(553, "5.6.7 Non-ASCII address needs SMTPUTF8"));
        }

        var unoffered = UnofferedParameter(parameters, "BODY", "RET", "ENVID");
        if (unoffered is not null)
        {
            return ReplyAsync(new DownstreamReply(555, $"5.5.4 {unoffered} not supported"));
        }

        var size = parameters.FirstOrDefault(p => p.StartsWith("SIZE=", StringComparison.OrdinalIgnoreCase));
        if (size is not null
            && long.TryParse(size[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var declared)
            && declared > Script.MaxMessageSize)
        {
            return ReplyAsync(new DownstreamReply(552, "5.3.4 Message size exceeds fixed limit"));
        }

        var reply = Script.NextMailFromReply(address) ?? new DownstreamReply(250, "2.1.0 Sender ok");
        if (IsPositive(reply))
        {
            reversePath = address;
            mailParameters = parameters;
        }

        return ReplyAsync(reply);
    }

    private Task<bool> HandleRcptAsync(string argument)
    {
        if (reversePath is null)
        {
            return ReplyAsync(new DownstreamReply(503, "5.5.1 Need MAIL before RCPT"));
        }

        if (!TryParsePath(argument, "TO:", out var address, out var parameters) || address.Length == 0)
        {
            return ReplyAsync(new DownstreamReply(501, "5.5.4 Syntax: RCPT TO:<address>"));
        }

        var unoffered = UnofferedParameter(parameters, "NOTIFY", "ORCPT");
        if (unoffered is not null)
        {
            return ReplyAsync(new DownstreamReply(555, $"5.5.4 {unoffered} not supported"));
        }

        if (!Utf8Allowed && !Ascii.IsValid(address))
        {
            return ReplyAsync(new DownstreamReply(553, "5.6.7 Non-ASCII address needs SMTPUTF8"));
        }

        var reply = Script.NextRecipientReply(address) ?? new DownstreamReply(250, "2.1.5 Recipient ok");
        if (IsPositive(reply))
        {
            recipients.Add(address);
        }

        return ReplyAsync(reply);
    }

    private Task<bool> HandleDataAsync(string argument)
    {
        if (argument.Length > 0)
        {
            return ReplyAsync(new DownstreamReply(501, "5.5.4 DATA takes no arguments"));
        }

        if (reversePath is null)
        {
            return ReplyAsync(new DownstreamReply(503, "5.5.1 Need MAIL before DATA"));
        }

        if (recipients.Count == 0)
        {
            return ReplyAsync(new DownstreamReply(554, "5.5.1 No valid recipients"));
        }

        data = new MemoryStream();
        dataAtLineStart = true;
        return ReplyAsync(new DownstreamReply(354, "End data with <CR><LF>.<CR><LF>"));
    }

    private Task<bool> ResetAndReplyAsync()
    {
        ResetTransaction();
        return ReplyAsync(DownstreamReply.Ok);
    }

    private void ResetTransaction()
    {
        reversePath = null;
        mailParameters = [];
        recipients.Clear();
        data = null;
    }

    private async Task<bool> ReplyAsync(DownstreamReply reply, TimeSpan extraDelay = default)
    {
        var delay = Script.ReplyDelay + extraDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, aborted.Token);
        }

        if (reply.Code != 0)
        {
            var lines = reply.Text.Split('\n');
            var text = new StringBuilder();
            for (var i = 0; i < lines.Length; i++)
            {
                var separator = i == lines.Length - 1 ? ' ' : '-';
                text.Append(reply.Code.ToString(CultureInfo.InvariantCulture))
                    .Append(separator)
                    .Append(lines[i].TrimEnd('\r'))
                    .Append("\r\n");
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), aborted.Token);
        }

        return !reply.CloseConnection && reply.Code != 0;
    }

    /// <summary>The first of the named parameters whose extension this server does not advertise, or null.</summary>
    private string? UnofferedParameter(List<string> parameters, params string[] names)
    {
        foreach (var parameter in parameters)
        {
            var keyword = parameter.Split('=')[0].ToUpperInvariant();
            if (!names.Contains(keyword))
            {
                continue;
            }

            var offered = keyword == "BODY" ? Script.Advertise8BitMime : Script.AdvertiseDsn;
            if (!offered)
            {
                return keyword;
            }
        }

        return null;
    }

    private static bool IsPositive(DownstreamReply reply)
    {
        return reply.Code is >= 200 and < 300;
    }

    /// <summary>Parses <c>FROM:&lt;address&gt; PARAM...</c>; quoted local parts may hold '&gt;' and spaces.</summary>
    private static bool TryParsePath(string argument, string keyword, out string address, out List<string> parameters)
    {
        address = string.Empty;
        parameters = [];
        if (!argument.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = argument[keyword.Length..].TrimStart();
        if (!rest.StartsWith('<'))
        {
            return false;
        }

        var quoted = false;
        for (var i = 1; i < rest.Length; i++)
        {
            var c = rest[i];
            if (c == '\\' && quoted)
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '>' && !quoted)
            {
                address = rest[1..i];
                parameters = [.. rest[(i + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
                return true;
            }
        }

        return false;
    }
}
