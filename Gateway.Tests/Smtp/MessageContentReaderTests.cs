using System.Buffers;
using System.Text;
using Gateway.Smtp;
using Gateway.Smtp.Session;
using Gateway.Smtp.Transport;

namespace Gateway.Tests.Smtp;

public sealed class MessageContentReaderTests
{
    [Theory]
    [InlineData("Subject: a\r\n\r\nbody\r\n.\r\n", "Subject: a\r\n\r\nbody\r\n")]
    [InlineData(".\r\n", "")]
    [InlineData("..leading dot\r\n.\r\n", ".leading dot\r\n")]
    [InlineData("a\r\n...\r\n.\r\n", "a\r\n..\r\n")]
    public void Consume_WellFormedData_UnstuffsAndStopsAtTerminator(string wire, string expected)
    {
        var (done, content, outcome, _) = Feed(wire);

        Assert.True(done);
        Assert.Equal(DataOutcome.Complete, outcome);
        Assert.Equal(expected, content);
    }

    // Smuggling sequences: none of these may end the data (RFC 5321 §4.1.1.4 allows only CRLF.CRLF).
    [Theory]
    [InlineData("a\n.\nMAIL FROM:<x@y>\r\n")]
    [InlineData("a\r.\rMAIL FROM:<x@y>\r\n")]
    [InlineData("a\n.\r\nMAIL FROM:<x@y>\r\n")]
    [InlineData("a\r\n.\nMAIL FROM:<x@y>\r\n")]
    [InlineData("a\r\r\n.\r\r\nMAIL FROM:<x@y>\r\n")]
    public void Consume_BareLineEndingAroundDot_DoesNotEndData(string wire)
    {
        var (done, _, _, _) = Feed(wire);

        Assert.False(done);
    }

    [Theory]
    [InlineData("a\n.\nb\r\n.\r\n")]
    [InlineData("a\rb\r\n.\r\n")]
    public void Consume_BareCrOrLf_EndsAtRealTerminatorAndRefuses(string wire)
    {
        var (done, _, outcome, _) = Feed(wire);

        Assert.True(done);
        Assert.Equal(DataOutcome.BareLineEnding, outcome);
    }

    [Fact]
    public void Consume_TerminatorSplitAcrossReads_EndsOnlyWhenComplete()
    {
        var reader = new MessageContentReader();
        var content = new ArrayBufferWriter<byte>();
        var inspector = Inspector(content, 1000);
        var pending = string.Empty;

        // Like a PipeReader, whatever was not consumed is presented again with the next bytes.
        Assert.False(Consume(reader, inspector, ref pending, "body\r\n."));
        Assert.False(Consume(reader, inspector, ref pending, "\r"));
        Assert.True(Consume(reader, inspector, ref pending, "\n"));
        Assert.Equal("body\r\n", Encoding.ASCII.GetString(content.WrittenSpan));
    }

    [Fact]
    public void Consume_OverSizeLimit_ReadsToTerminatorAndReportsTooBig()
    {
        var (done, _, outcome, rest) = Feed(new string('x', 100) + "\r\n.\r\nQUIT\r\n", maxSize: 50);

        Assert.True(done);
        Assert.Equal(DataOutcome.TooBig, outcome);
        Assert.Equal("QUIT\r\n", rest);
    }

    [Fact]
    public void Consume_LongLineWithoutBreaks_DoesNotHoldItAllInTheBuffer()
    {
        var reader = new MessageContentReader();
        var inspector = Inspector(new ArrayBufferWriter<byte>(), 10_000_000);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('y', 100_000)));

        var done = reader.TryConsume(ref buffer, inspector);

        Assert.False(done);
        Assert.True(buffer.Length <= 1, $"{buffer.Length} bytes left unconsumed");
    }

    private static bool Consume(
        MessageContentReader reader,
        ContentInspector content,
        ref string pending,
        string wire)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(pending + wire));
        var done = reader.TryConsume(ref buffer, content);
        pending = Encoding.ASCII.GetString(buffer.ToArray());
        return done;
    }

    private static (bool Done, string Content, DataOutcome Outcome, string Remaining) Feed(string wire, long maxSize = 1000)
    {
        var reader = new MessageContentReader();
        var content = new ArrayBufferWriter<byte>();
        var inspector = Inspector(content, maxSize);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(wire));
        var done = reader.TryConsume(ref buffer, inspector);
        return (done, Encoding.ASCII.GetString(content.WrittenSpan), inspector.Finish(),
            Encoding.ASCII.GetString(buffer.ToArray()));
    }

    private static ContentInspector Inspector(ArrayBufferWriter<byte> content, long maxSize) =>
        new(new SmtpOptions { MaxMessageSize = maxSize }, content);
}
