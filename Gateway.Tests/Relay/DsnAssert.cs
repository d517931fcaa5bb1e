using MimeKit;

namespace Gateway.Tests.Relay;

/// <summary>Reads a delivery status notification with MimeKit and checks it is a well-formed RFC 3464 report.</summary>
internal static class DsnAssert
{
    public static MultipartReport Parse(byte[] data)
    {
        using var stream = new MemoryStream(data);
        var message = MimeMessage.Load(stream);
        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.IsType<TextPart>(report[0]);
        Assert.IsType<MessageDeliveryStatus>(report[1]);
        Assert.Equal("auto-replied", message.Headers["Auto-Submitted"]);
        return report;
    }

    public static HeaderList Recipient(MultipartReport report, string address, string action, string status)
    {
        var groups = ((MessageDeliveryStatus)report[1]).StatusGroups;
        Assert.StartsWith("dns;", groups[0]["Reporting-MTA"], StringComparison.Ordinal);
        var group = Assert.Single(groups.Skip(1), g => g["Final-Recipient"] == $"rfc822; {address}");
        Assert.Equal(action, group["Action"]);
        Assert.Equal(status, group["Status"]);
        return group;
    }
}
