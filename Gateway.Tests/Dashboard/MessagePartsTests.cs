using System.Text;
using Gateway.Web.Dashboard;
using MimeKit;

namespace Gateway.Tests.Dashboard;

public sealed class MessagePartsTests
{
    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd", "_.._etc_passwd")]
    [InlineData("a\"b\r\nc.txt", "a_b__c.txt")]
    [InlineData("", "attachment-3.bin")]
    [InlineData("...", "attachment-3.bin")]
    public void DownloadName_HostileNames_AreMadeHarmless(string name, string expected)
    {
        var part = new MimePart("application", "octet-stream") { FileName = name };

        Assert.Equal(expected, MessageParts.DownloadName(part, 2));
    }

    [Fact]
    public void Parse_MultipartWithAttachment_FindsBodiesHeadersAndTheAttachment()
    {
        const string Raw = "From: a@example.test\r\nSubject: S\r\nMIME-Version: 1.0\r\n" +
                           "Content-Type: multipart/mixed; boundary=b\r\n\r\n" +
                           "--b\r\nContent-Type: text/plain\r\n\r\nHello\r\n" +
                           "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=x.pdf\r\n" +
                           "\r\n%PDF\r\n--b--\r\n";

        var parts = MessageParts.Parse(Encoding.ASCII.GetBytes(Raw));

        Assert.Equal("Hello", parts.TextBody?.Trim());
        Assert.Null(parts.HtmlBody);
        Assert.Equal("x.pdf", Assert.Single(parts.Attachments).FileName);
        Assert.Equal(["From", "Subject", "MIME-Version", "Content-Type"], parts.Headers.Select(h => h.Key));
    }
}
