using Gateway.Core.Users;

namespace Gateway.Tests.Security;

public sealed class SenderAllowListTests
{
    [Theory]
    [InlineData(" App@Example.COM ", "app@example.com")]
    [InlineData("Example.COM", "example.com")]
    [InlineData("@example.com", "example.com")]
    [InlineData("*", "*")]
    public void Normalise_ValidEntry_LowerCasedAndTrimmed(string entry, string expected) =>
        Assert.Equal(expected, SenderAllowList.Normalise(entry));

    [Theory]
    [InlineData("")]
    [InlineData("@")]
    [InlineData("app@")]
    [InlineData("<app@example.com>")]
    [InlineData("exa mple.com")]
    [InlineData("*.example.com")]
    public void Normalise_InvalidEntry_Throws(string entry) =>
        Assert.Throws<SmtpUserException>(() => SenderAllowList.Normalise(entry));

    [Theory]
    [InlineData("app@example.com", true)]
    [InlineData("App@EXAMPLE.com", true)]
    [InlineData("x@example.org", true)]
    [InlineData("x@example.com", false)]
    [InlineData("x@mail.example.org", false)]
    [InlineData("x@notexample.org", false)]
    [InlineData("", false)]
    public void Permits_AddressOrDomainEntries_MatchExactly(string sender, bool expected) =>
        Assert.Equal(expected, SenderAllowList.Permits(["app@example.com", "example.org"], sender));

    [Theory]
    [InlineData("anyone@anywhere.test")]
    [InlineData("")]
    public void Permits_Star_AllowsEverySenderAndTheNullPath(string sender) =>
        Assert.True(SenderAllowList.Permits(["*"], sender));

    [Fact]
    public void Permits_NoEntries_AllowsNothing() => Assert.False(SenderAllowList.Permits([], "app@example.com"));
}
