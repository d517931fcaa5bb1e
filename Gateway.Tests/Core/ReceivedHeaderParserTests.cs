using Gateway.Core.Queries;

namespace Gateway.Tests.Core;

public sealed class ReceivedHeaderParserTests
{
    [Fact]
    public void Parse_OurOwnHeader_ReadsEveryClause()
    {
        var hop = ReceivedHeaderParser.Parse(
            "from client.test ([192.0.2.1])\r\n\tby gateway.test (Gateway) with ESMTP id abc123\r\n\tfor <a@b.test>; " +
            "Fri, 04 Dec 2026 16:18:58 +0000");

        Assert.Equal("client.test ([192.0.2.1])", hop.From);
        Assert.Equal("gateway.test (Gateway)", hop.By);
        Assert.Equal("ESMTP", hop.With);
        Assert.Equal("abc123", hop.Id);
        Assert.Equal("<a@b.test>", hop.For);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 16, 18, 58, TimeSpan.Zero), hop.Date);
    }

    [Fact]
    public void Parse_KeywordInsideComment_DoesNotStartAClause()
    {
        var hop = ReceivedHeaderParser.Parse(
            "from a.test (a.test [192.0.2.2]) (using TLSv1.3 with cipher X (256/256 bits)) by b.test with ESMTPS; " +
            "Thu, 3 Dec 2026 10:00:00 -0500");

        Assert.Equal("ESMTPS", hop.With);
        Assert.Equal("b.test", hop.By);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 15, 0, 0, TimeSpan.Zero), hop.Date);
    }

    [Fact]
    public void Parse_Garbage_KeepsRawAndLeavesFieldsEmpty()
    {
        var hop = ReceivedHeaderParser.Parse("nonsense without clauses");

        Assert.Null(hop.From);
        Assert.Null(hop.Date);
        Assert.Equal("nonsense without clauses", hop.Raw);
    }
}
