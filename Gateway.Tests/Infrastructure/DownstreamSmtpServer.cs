using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1 for a relay to deliver to: ESMTP with PIPELINING, SIZE, ENHANCEDSTATUSCODES,
/// 8BITMIME unless <see cref="DownstreamScript.Advertise8BitMime"/> is off, SMTPUTF8 and DSN when
/// <see cref="DownstreamScript.AdvertiseSmtpUtf8"/> and <see cref="DownstreamScript.AdvertiseDsn"/> say so; no TLS,
/// no AUTH.
/// It listens from construction on; <see cref="Stop"/> and <see cref="Start"/> take it down and up on the same
/// port. Its replies are decided by <see cref="Script"/>.
/// </summary>
public sealed class DownstreamSmtpServer : IAsyncDisposable
{
    private const int Backlog = 512;

    private readonly Lock gate = new();
    private readonly List<ReceivedMail> messages = [];
    private readonly List<MessageWaiter> waiters = [];
    private readonly ConcurrentQueue<string> commands = new();
    private readonly ConcurrentDictionary<int, DownstreamSmtpSession> sessions = new();
    private readonly List<Task> tasks = [];
    private Socket? listener;
    private int connectionCount;
    private bool disposed;

    /// <summary>Starts listening on a free port of 127.0.0.1.</summary>
    public DownstreamSmtpServer(DownstreamScript? script = null)
    {
        Script = script ?? new DownstreamScript();
        lock (gate)
        {
            Port = Listen(0);
        }
    }

    /// <summary>How the server answers; may be changed at any time.</summary>
    public DownstreamScript Script { get; }

    /// <summary>The port on 127.0.0.1; it stays the same across <see cref="Stop"/> and <see cref="Start"/>.</summary>
    public int Port { get; }

    /// <summary>Connections accepted since construction, over all restarts.</summary>
    public int ConnectionCount => Volatile.Read(ref connectionCount);

    /// <summary>Connections open right now.</summary>
    public int OpenConnectionCount => sessions.Count;

    /// <summary>Whether the server is listening.</summary>
    public bool IsRunning
    {
        get
        {
            lock (gate)
            {
                return listener is not null;
            }
        }
    }

    /// <summary>A snapshot of the accepted messages, in the order their DATA finished.</summary>
    public IReadOnlyList<ReceivedMail> Messages
    {
        get
        {
            lock (gate)
            {
                return [.. messages];
            }
        }
    }

    /// <summary>A snapshot of every command line received (not message content), over all connections.</summary>
    public IReadOnlyList<string> Commands => [.. commands];

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages were accepted and returns all of them; throws
    /// <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        MessageWaiter waiter;
        lock (gate)
        {
            if (messages.Count >= count)
            {
                return [.. messages];
            }

            waiter = new MessageWaiter(count);
            waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            int received;
            lock (gate)
            {
                waiters.Remove(waiter);
                received = messages.Count;
            }

            throw new TimeoutException(
                $"Expected {count} message(s) within {timeout}, but the server accepted {received}.");
        }
    }

    /// <summary>Listens again on the same port after <see cref="Stop"/>; does nothing if already listening.</summary>
    public void Start()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (listener is null)
            {
                Listen(Port);
            }
        }
    }

    /// <summary>Stops listening (new connections are refused) and closes every open connection.</summary>
    public void Stop()
    {
        lock (gate)
        {
            if (listener is not null)
            {
                CloseListener(listener);
                listener = null;
            }
        }

        foreach (var session in sessions.Values)
        {
            session.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        Stop();
        lock (gate)
        {
            pending = [.. tasks];
            foreach (var waiter in waiters)
            {
                waiter.Completion.TrySetCanceled();
            }

            waiters.Clear();
        }

        await Task.WhenAll(pending);
    }

    internal void RecordCommand(string line)
    {
        commands.Enqueue(line);
    }

    internal void RecordMessage(ReceivedMail mail)
    {
        lock (gate)
        {
            messages.Add(mail);
            foreach (var waiter in waiters.Where(w => w.Count <= messages.Count).ToList())
            {
                waiters.Remove(waiter);
                waiter.Completion.TrySetResult([.. messages]);
            }
        }
    }

    private int Listen(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen(Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        listener = socket;
        tasks.Add(Task.Run(() => AcceptLoopAsync(socket)));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Shuts the listener down first so that it stops accepting at once, not when its fd is freed.</summary>
    private static void CloseListener(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Not every platform allows shutdown on a listening socket; Dispose still closes it.
        }

        socket.Dispose();
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return;
            }

            var session = new DownstreamSmtpSession(this, client, Interlocked.Increment(ref connectionCount));
            lock (gate)
            {
                if (!ReferenceEquals(listener, socket))
                {
                    client.Dispose();
                    return;
                }

                sessions[session.Number] = session;
                tasks.Add(Task.Run(() => RunSessionAsync(session)));
            }
        }
    }

    private async Task RunSessionAsync(DownstreamSmtpSession session)
    {
        try
        {
            await session.RunAsync();
        }
        finally
        {
            sessions.TryRemove(session.Number, out _);
        }
    }

    private sealed class MessageWaiter(int count)
    {
        public int Count { get; } = count;

        public TaskCompletionSource<IReadOnlyList<ReceivedMail>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
