using System.Net;
using Gateway.Core.Webhooks;

namespace Gateway.Tests.Core;

public sealed class WebhookTargetPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("::1")]
    [InlineData("fd12::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    public void PrivateAddress_ByDefault_IsRefusedButAllowedBySetting(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.False(WebhookTargetPolicy.IsAllowed(ip, allowPrivateTargets: false));
        Assert.True(WebhookTargetPolicy.IsAllowed(ip, allowPrivateTargets: true));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::")]
    public void MetadataLinkLocalAndUnspecified_AreRefusedEvenWhenPrivateIsAllowed(string address)
    {
        Assert.False(WebhookTargetPolicy.IsAllowed(IPAddress.Parse(address), allowPrivateTargets: true));
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("2001:db8::10")]
    public void PublicAddress_IsAllowed(string address)
    {
        Assert.True(WebhookTargetPolicy.IsAllowed(IPAddress.Parse(address), allowPrivateTargets: false));
    }
}
