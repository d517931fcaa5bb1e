using Gateway.Smtp.Protocol;

namespace Gateway.Tests.Smtp;

public sealed class PathParserTests
{
    [Theory]
    [InlineData("<user@example.com>", "user@example.com")]
    [InlineData(" <user@example.com>", "user@example.com")]
    [InlineData("<@relay.example,@other.example:user@example.com>", "user@example.com")]
    [InlineData("<\"quoted local\"@example.com>", "\"quoted local\"@example.com")]
    [InlineData("<user@[192.0.2.1]>", "user@[192.0.2.1]")]
    [InlineData("<user@[IPv6:2001:db8::1]>", "user@[IPv6:2001:db8::1]")]
    [InlineData("<postmaster>", "postmaster")]
    public void TryParse_ValidForwardPath_ReturnsMailbox(string argument, string expected)
    {
        var ok = PathParser.TryParse(argument, allowNull: false, out var address, out _, out var error);

        Assert.True(ok, error?.ToString());
        Assert.Equal(expected, address);
    }

    [Fact]
    public void TryParse_NullReversePath_IsAcceptedOnlyWhenAllowed()
    {
        Assert.True(PathParser.TryParse("<>", allowNull: true, out var address, out _, out _));
        Assert.Equal(string.Empty, address);
        Assert.False(PathParser.TryParse("<>", allowNull: false, out _, out _, out _));
    }

    [Theory]
    [InlineData("user@example.com")]
    [InlineData("<user@example.com")]
    [InlineData("<user>")]
    [InlineData("<user@exa mple.com>")]
    [InlineData("<us\rer@example.com>")]
    [InlineData("<user@example.com\n>")]
    [InlineData("<user@-example.com>")]
    [InlineData("<.user@example.com>")]
    [InlineData("<user@example.com>SIZE=1")]
    public void TryParse_MalformedPath_Replies501(string argument)
    {
        var ok = PathParser.TryParse(argument, allowNull: false, out _, out _, out var error);

        Assert.False(ok);
        Assert.Equal(501, error!.Code);
    }

    [Fact]
    public void TryParse_LocalPartOver64Octets_IsRefused()
    {
        var ok = PathParser.TryParse($"<{new string('a', 65)}@example.com>", false, out _, out _, out var error);

        Assert.False(ok);
        Assert.Contains("64", error!.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Parameters_AreSplitAndUpperCased()
    {
        var ok = PathParser.TryParse("<a@b.example> size=100 BODY=8BITMIME", true, out _, out var parameters, out _);

        Assert.True(ok);
        Assert.Equal("100", parameters["SIZE"]);
        Assert.Equal("8BITMIME", parameters["BODY"]);
    }
}
