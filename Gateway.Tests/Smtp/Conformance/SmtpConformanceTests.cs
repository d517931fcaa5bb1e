using Gateway.Tests.Smtp.Support;

namespace Gateway.Tests.Smtp.Conformance;

/// <summary>Runs every transcript of <see cref="ConformanceTranscripts"/> over a raw socket.</summary>
public sealed class SmtpConformanceTests
{
    public static TheoryData<string> Transcripts => new(ConformanceTranscripts.All.Keys);

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Transcript_RawBytes_GetExactReplies(string transcript) =>
        await ConformanceTranscripts.All[transcript].RunAsync();
}
