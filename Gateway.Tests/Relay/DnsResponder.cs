using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Relay;

/// <summary>
/// A tiny authoritative DNS server on 127.0.0.1 (UDP, RFC 1035 §4) answering MX, A and AAAA from a table the test
/// fills, so MX routing is tested without ever asking a real resolver. Unknown names get NXDOMAIN.
/// </summary>
internal sealed class DnsResponder : IAsyncDisposable
{
    private const ushort TypeA = 1;
    private const ushort TypeMx = 15;
    private const ushort TypeAaaa = 28;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, List<(ushort Type, byte[] Data)>> _zone =
        new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _loop;

    public DnsResponder()
    {
        _loop = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public string Server => $"127.0.0.1:{Port}";

    /// <summary>Every question asked, as "name TYPE", in order.</summary>
    public ConcurrentQueue<string> Questions { get; } = new();

    public DnsResponder Mx(string domain, ushort preference, string exchange)
    {
        var data = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(data, preference);
        return Add(domain, TypeMx, [.. data, .. EncodeName(exchange)]);
    }

    /// <summary>RFC 7505: one MX of preference 0 naming the root.</summary>
    public DnsResponder NullMx(string domain) => Mx(domain, 0, ".");

    public DnsResponder Address(string name, IPAddress address) =>
        Add(name, address.AddressFamily == AddressFamily.InterNetwork ? TypeA : TypeAaaa, address.GetAddressBytes());

    /// <summary>Makes the name exist with no records (so a query answers NOERROR with nothing, not NXDOMAIN).</summary>
    public DnsResponder Exists(string name)
    {
        _zone.GetOrAdd(name.TrimEnd('.'), _ => []);
        return this;
    }

    private DnsResponder Add(string name, ushort type, byte[] data)
    {
        var records = _zone.GetOrAdd(name.TrimEnd('.'), _ => []);
        lock (records)
        {
            records.Add((type, data));
        }

        return this;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var reply = Answer(received.Buffer);
            if (reply is not null)
            {
                await _udp.SendAsync(reply, received.RemoteEndPoint);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 17)
        {
            return null;
        }

        // Header (12 octets), then one question: QNAME labels, QTYPE, QCLASS.
        var labels = new List<string>();
        var offset = 12;
        while (offset < query.Length && query[offset] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, query[offset]));
            offset += query[offset] + 1;
        }

        var questionEnd = offset + 5;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset + 1));
        var name = string.Join('.', labels);
        Questions.Enqueue($"{name} {type}");

        var exists = _zone.TryGetValue(name, out var records);
        var answers = new List<(ushort Type, byte[] Data)>();
        if (records is not null)
        {
            lock (records)
            {
                answers.AddRange(records.Where(r => r.Type == type));
            }
        }

        var reply = new List<byte>(query[..questionEnd]);
        var flags = (ushort)(0x8400 | (query[2] & 0x01) << 8 | (exists ? 0 : 3)); // QR, AA, RD copied, NXDOMAIN
        Write16(reply, 2, flags);
        Write16(reply, 6, (ushort)answers.Count);
        Write16(reply, 8, 0);
        Write16(reply, 10, 0);
        foreach (var (answerType, data) in answers)
        {
            reply.AddRange([0xC0, 0x0C]); // the name, as a pointer to the question's
            reply.AddRange(Big(answerType));
            reply.AddRange(Big(1));
            reply.AddRange([0, 0, 0, 60]);
            reply.AddRange(Big((ushort)data.Length));
            reply.AddRange(data);
        }

        return [.. reply];
    }

    private static void Write16(List<byte> buffer, int at, ushort value)
    {
        buffer[at] = (byte)(value >> 8);
        buffer[at + 1] = (byte)value;
    }

    private static byte[] Big(ushort value) => [(byte)(value >> 8), (byte)value];

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
