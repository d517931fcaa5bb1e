using Gateway.Smtp.Protocol;

namespace Gateway.Tests.Smtp;

public sealed class DsnParametersTests
{
    [Theory]
    [InlineData("NEVER", "NEVER")]
    [InlineData("success", "SUCCESS")]
    [InlineData("Failure,Delay", "FAILURE,DELAY")]
    [InlineData("SUCCESS,FAILURE,DELAY", "SUCCESS,FAILURE,DELAY")]
    public void TryParseNotify_ValidList_Normalises(string value, string expected)
    {
        Assert.True(DsnParameters.TryParseNotify(value, out var notify));
        Assert.Equal(expected, notify);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NEVER,SUCCESS")]
    [InlineData("SUCCESS,SUCCESS")]
    [InlineData("SUCCESS,")]
    [InlineData("ALWAYS")]
    public void TryParseNotify_InvalidList_IsRefused(string value) =>
        Assert.False(DsnParameters.TryParseNotify(value, out _));

    [Theory]
    [InlineData("rfc822;user@example.com", true)]
    [InlineData("rfc822;user+2Bx@example.com", true)]
    [InlineData("utf-8;用户@例子.test", true)]
    [InlineData("rfc822;用户@例子.test", false)]
    [InlineData("rfc822;user+2bx@example.com", false)]
    [InlineData("rfc822;a=b", false)]
    [InlineData(";user@example.com", false)]
    [InlineData("rfc822;", false)]
    [InlineData("user@example.com", false)]
    public void IsValidOriginalRecipient_ChecksAddressTypeAndXtext(string value, bool valid) =>
        Assert.Equal(valid, DsnParameters.IsValidOriginalRecipient(value));

    [Fact]
    public void IsValidEnvelopeId_LongerThan100_IsRefused()
    {
        Assert.True(DsnParameters.IsValidEnvelopeId(new string('e', 100)));
        Assert.False(DsnParameters.IsValidEnvelopeId(new string('e', 101)));
    }

    [Theory]
    [InlineData("0 LAST", 0, true)]
    [InlineData("10", 10, false)]
    [InlineData("10 last", 10, true)]
    [InlineData(" 10  LAST", 10, true)]
    public void BdatCommand_ValidArgument_IsParsed(string argument, long size, bool last)
    {
        Assert.True(BdatCommand.TryParse(argument, out var command));
        Assert.Equal(new BdatCommand(size, last), command);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1 LAST X")]
    [InlineData("1 FIRST")]
    [InlineData("99999999999999999999")]
    public void BdatCommand_InvalidArgument_IsRefused(string argument) =>
        Assert.False(BdatCommand.TryParse(argument, out _));
}
