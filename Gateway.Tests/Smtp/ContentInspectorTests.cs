using System.Buffers;
using System.Text;
using Gateway.Smtp;
using Gateway.Smtp.Session;

namespace Gateway.Tests.Smtp;

public sealed class ContentInspectorTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", DataOutcome.Complete)]
    [InlineData("a\nb\r\n", DataOutcome.BareLineEnding)]
    [InlineData("a\rb\r\n", DataOutcome.BareLineEnding)]
    [InlineData("a\r\r\n", DataOutcome.BareLineEnding)]
    [InlineData("a\r\n\r", DataOutcome.BareLineEnding)]
    public void Finish_LineEndings_JudgedAcrossEverySplit(string content, DataOutcome expected)
    {
        // Every way of cutting the content in two must give the same verdict (CRLF split between BDAT chunks).
        for (var cut = 0; cut <= content.Length; cut++)
        {
            var inspector = new ContentInspector(new SmtpOptions(), new ArrayBufferWriter<byte>());
            inspector.Append(Encoding.ASCII.GetBytes(content[..cut]));
            inspector.Append(Encoding.ASCII.GetBytes(content[cut..]));

            Assert.Equal(expected, inspector.Finish());
        }
    }

    [Fact]
    public void Append_ReceivedHeadersOverMax_TooManyHops()
    {
        var inspector = new ContentInspector(new SmtpOptions { MaxReceivedHeaders = 2 }, new ArrayBufferWriter<byte>());

        inspector.Append("RECEIVED: a\r\nreceived:b\r\nX-Received: c\r\nReceived: d\r\n\r\nReceived: body\r\n"u8);

        Assert.Equal(DataOutcome.TooManyHops, inspector.Finish());
        Assert.Equal(3, inspector.ReceivedHeaders);
    }

    [Fact]
    public void Append_ReceivedOnlyInBody_NotCounted()
    {
        var inspector = new ContentInspector(new SmtpOptions { MaxReceivedHeaders = 1 }, new ArrayBufferWriter<byte>());

        inspector.Append("Subject: x\r\n\r\nReceived: a\r\nReceived: b\r\n"u8);

        Assert.Equal(DataOutcome.Complete, inspector.Finish());
    }

    [Fact]
    public void Append_AfterFault_StoresNothingMore()
    {
        var store = new ArrayBufferWriter<byte>();
        var inspector = new ContentInspector(new SmtpOptions { MaxMessageSize = 10 }, store);

        inspector.Append("12345\r\n"u8);
        inspector.Append("6789012345\r\n"u8);

        Assert.Equal(DataOutcome.TooBig, inspector.Finish());
        Assert.Equal(7, store.WrittenCount);
        Assert.Equal(19, inspector.Size);
    }
}
