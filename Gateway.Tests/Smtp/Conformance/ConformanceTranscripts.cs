using Gateway.Tests.Smtp.Support;

namespace Gateway.Tests.Smtp.Conformance;

/// <summary>
/// The conformance table: each transcript is named after what it proves, sends exact bytes and expects exact
/// reply codes and enhanced status codes (RFC 3463; none on the greeting, EHLO/HELO and 354, see docs/smtp.md).
/// </summary>
internal static class ConformanceTranscripts
{
    private const string Message = "Subject: t\r\n\r\nbody\r\n";

    public static IReadOnlyDictionary<string, Transcript> All { get; } = Build().ToDictionary(t => t.Name);

    private static IEnumerable<Transcript> Build() =>
        Extensions().Concat(Addresses()).Concat(Pipelining()).Concat(Smuggling()).Concat(Limits());

    private static IEnumerable<Transcript> Extensions()
    {
        yield return new Transcript("Data_WellFormedMessage_Queued250")
            .Envelope().Send("DATA\r\n").Expect(354, null).Send(Message + ".\r\n").Expect(250, "2.0.0")
            .Send("QUIT\r\n").Expect(221, "2.0.0").StoresContent(Message);

        yield return new Transcript("Data_DotStuffedLines_StoredUnstuffed")
            .Envelope().Send("DATA\r\n").Expect(354, null).Send("..x\r\n...\r\n.\r\n").Expect(250, "2.0.0")
            .StoresContent(".x\r\n..\r\n");

        yield return new Transcript("Smtputf8_Utf8AddressesWithParameter_Accepted")
            .Ehlo()
            .Send("MAIL FROM:<δοκιμή@παράδειγμα.test> SMTPUTF8\r\n").Expect(250, "2.1.0")
            .Send("RCPT TO:<用户@例子.test>\r\n").Expect(250, "2.1.5")
            .Send("DATA\r\n").Expect(354, null).Send("Subject: héllo\r\n\r\nü\r\n.\r\n").Expect(250, "2.0.0")
            .StoresOne(m =>
            {
                Assert.True(m.Envelope.SmtpUtf8);
                Assert.Equal("δοκιμή@παράδειγμα.test", m.Envelope.ReversePath);
                Assert.Equal("用户@例子.test", Assert.Single(m.Envelope.Recipients));
                Assert.Equal("Subject: héllo\r\n\r\nü\r\n", m.ClientContent);
            });

        yield return new Transcript("Smtputf8_NonAsciiSenderWithoutParameter_Refused553")
            .Ehlo().Send("MAIL FROM:<δοκιμή@example.test>\r\n").Expect(553, "5.6.7");

        yield return new Transcript("Smtputf8_NonAsciiRecipientWithoutParameter_Refused553")
            .Envelope().Send("RCPT TO:<用户@example.test>\r\n").Expect(553, "5.6.7");

        yield return new Transcript("Smtputf8_InvalidUtf8InAddress_Refused501")
            .Ehlo().Send([.. "MAIL FROM:<a"u8, 0xC3, 0x28, .. "@example.test> SMTPUTF8\r\n"u8]).Expect(501, "5.1.7");

        yield return new Transcript("Smtputf8_WithValue_Refused501")
            .Ehlo().Send("MAIL FROM:<a@example.test> SMTPUTF8=yes\r\n").Expect(501, "5.5.4");

        yield return new Transcript("Smtputf8_AsciiTransaction_NotFlagged")
            .Envelope().Send("DATA\r\n").Expect(354, null).Send(Message + ".\r\n").Expect(250, "2.0.0")
            .StoresOne(m => Assert.False(m.Envelope.SmtpUtf8));

        yield return new Transcript("Bdat_SingleLastChunk_Queued")
            .Envelope().Send("BDAT 20 LAST\r\n" + Message).Expect(250, "2.0.0").StoresContent(Message);

        yield return new Transcript("Bdat_SeveralChunksThenZeroLast_Queued")
            .Envelope()
            .Send("BDAT 12\r\nSubject: t\r\n").Expect(250, "2.0.0")
            .Send("bdat 8\r\n\r\nbody\r\n").Expect(250, "2.0.0")
            .Send("BDAT 0 LAST\r\n").Expect(250, "2.0.0").StoresContent(Message);

        yield return new Transcript("Bdat_PipelinedWithEnvelope_RepliesInOrder")
            .Ehlo()
            .Send("MAIL FROM:<s@example.test>\r\nRCPT TO:<r@example.test>\r\nBDAT 20 LAST\r\n" + Message +
                "NOOP\r\n")
            .Expect(250, "2.1.0").Expect(250, "2.1.5").Expect(250, "2.0.0").Expect(250, "2.0.0")
            .StoresContent(Message);

        yield return new Transcript("Bdat_ChunkHoldingCommands_IsContentNotCommands")
            .Envelope().Bdat("\r\n.\r\nRSET\r\nMAIL FROM:<x@y.test>\r\nQUIT\r\n", last: true).Send("NOOP\r\n")
            .Expect(250, "2.0.0").Expect(250, "2.0.0")
            .StoresContent("\r\n.\r\nRSET\r\nMAIL FROM:<x@y.test>\r\nQUIT\r\n");

        yield return new Transcript("Bdat_WithoutMail_ChunkConsumedThenRefused503")
            .Ehlo().Send("BDAT 6\r\nQUIT\r\n").Expect(503, "5.5.1").Send("NOOP\r\n").Expect(250, "2.0.0")
            .Stores(0);

        yield return new Transcript("Bdat_WithoutRecipient_Refused503")
            .Ehlo().Send("MAIL FROM:<a@example.test>\r\n").Expect(250, "2.1.0")
            .Send("BDAT 4 LAST\r\nabcd").Expect(503, "5.5.1").Stores(0);

        yield return new Transcript("Bdat_ThenData_Refused503")
            .Envelope().Send("BDAT 12\r\nSubject: t\r\n").Expect(250, "2.0.0").Send("DATA\r\n").Expect(503, "5.5.1");

        yield return new Transcript("Bdat_MalformedSize_Refused501AndClosed")
            .Envelope().Send("BDAT 12x\r\n").Expect(501, "5.5.4").ExpectClosed();

        yield return new Transcript("Bdat_ChunkOverSizeLimit_Refused552AndClosed")
            .With(o => o.MaxMessageSize = 1000)
            .Envelope().Send("BDAT 1001\r\n").Expect(552, "5.3.4").ExpectClosed().Stores(0);

        yield return new Transcript("Bdat_ChunksAddUpOverSizeLimit_Refused552ThenTransactionGone")
            .With(o => o.MaxMessageSize = 1000)
            .Envelope()
            .Send("BDAT 600\r\n" + new string('a', 598) + "\r\n").Expect(250, "2.0.0")
            .Send("BDAT 600\r\n" + new string('a', 598) + "\r\n").Expect(552, "5.3.4")
            .Send("BDAT 0 LAST\r\n").Expect(503, "5.5.1").Stores(0);

        yield return new Transcript("Bdat_BareLineFeed_Refused554")
            .Envelope().Send("BDAT 10 LAST\r\na\nb\r\nc\r\n\r\n").Expect(554, "5.6.0").Stores(0);

        yield return new Transcript("Bdat_BinaryMime_NotOffered555")
            .Ehlo().Send("MAIL FROM:<a@example.test> BODY=BINARYMIME\r\n").Expect(555, "5.5.4");

        yield return new Transcript("Dsn_AllParameters_AcceptedAndStored")
            .Envelope(" RET=HDRS ENVID=QQ+2B314", " NOTIFY=success,failure ORCPT=rfc822;rcpt+2Bx@example.test")
            .Send("DATA\r\n").Expect(354, null).Send(Message + ".\r\n").Expect(250, "2.0.0")
            .StoresOne(m =>
            {
                Assert.Equal("HDRS", m.Envelope.DsnReturn);
                Assert.Equal("QQ+2B314", m.Envelope.DsnEnvelopeId);
                var dsn = Assert.Single(m.Envelope.RecipientDsn!);
                Assert.Equal("SUCCESS,FAILURE", dsn.Notify);
                Assert.Equal("rfc822;rcpt+2Bx@example.test", dsn.OriginalRecipient);
            });

        yield return new Transcript("Dsn_NotifyNeverWithOthers_Refused501")
            .Envelope().Send("RCPT TO:<b@example.test> NOTIFY=NEVER,SUCCESS\r\n").Expect(501, "5.5.4");

        yield return new Transcript("Dsn_BadRet_Refused501")
            .Ehlo().Send("MAIL FROM:<a@example.test> RET=ALL\r\n").Expect(501, "5.5.4");

        yield return new Transcript("Dsn_EnvidNotXtext_Refused501")
            .Ehlo().Send("MAIL FROM:<a@example.test> ENVID=a+zz\r\n").Expect(501, "5.5.4");

        yield return new Transcript("Dsn_OrcptWithoutType_Refused501")
            .Envelope().Send("RCPT TO:<b@example.test> ORCPT=b@example.test\r\n").Expect(501, "5.5.4");

        yield return new Transcript("Dsn_AfterHelo_Refused555")
            .Send("HELO client.test\r\n").Expect(250, null)
            .Send("MAIL FROM:<a@example.test> RET=FULL\r\n").Expect(555, "5.5.4");

        yield return new Transcript("Size_DeclaredOverLimit_Refused552")
            .With(o => o.MaxMessageSize = 1000)
            .Ehlo().Send("MAIL FROM:<a@example.test> SIZE=1001\r\n").Expect(552, "5.3.4")
            .Send("MAIL FROM:<a@example.test> SIZE=1000\r\n").Expect(250, "2.1.0");

        yield return new Transcript("Size_Malformed_Refused501")
            .Ehlo().Send("MAIL FROM:<a@example.test> SIZE=12k\r\n").Expect(501, "5.5.4");

        yield return new Transcript("Size_ExceededWhileReadingData_Refused552")
            .With(o => o.MaxMessageSize = 1000)
            .Envelope().Send("DATA\r\n").Expect(354, null)
            .Send(string.Concat(Enumerable.Repeat(new string('x', 98) + "\r\n", 11)) + ".\r\n").Expect(552, "5.3.4")
            .Send("NOOP\r\n").Expect(250, "2.0.0").Stores(0);

        yield return new Transcript("Replies_EveryCommandReply_CarriesEnhancedCode")
            .Ehlo().Send("NOOP\r\n").Expect(250, "2.0.0").Send("RSET\r\n").Expect(250, "2.0.0")
            .Send("VRFY a\r\n").Expect(252, "2.5.0").Send("HELP\r\n").Expect(214, "2.0.0")
            .Send("FOO\r\n").Expect(500, "5.5.2").Send("RCPT TO:<a@example.test>\r\n").Expect(503, "5.5.1")
            .Send("DATA\r\n").Expect(503, "5.5.1").Send("QUIT\r\n").Expect(221, "2.0.0").ExpectClosed();
    }

    private static IEnumerable<Transcript> Addresses()
    {
        yield return new Transcript("Mail_NullReversePath_Accepted")
            .Ehlo().Send("MAIL FROM:<>\r\n").Expect(250, "2.1.0");

        yield return new Transcript("Rcpt_QuotedLocalPart_Accepted")
            .Envelope().Send("RCPT TO:<\"john q. doe\"@example.test>\r\n").Expect(250, "2.1.5");

        yield return new Transcript("Rcpt_AddressLiterals_Accepted")
            .Envelope().Send("RCPT TO:<a@[192.0.2.1]>\r\n").Expect(250, "2.1.5")
            .Send("RCPT TO:<a@[IPv6:2001:db8::1]>\r\n").Expect(250, "2.1.5");

        yield return new Transcript("Rcpt_BadAddressLiteral_Refused501")
            .Envelope().Send("RCPT TO:<a@[192.0.2.300]>\r\n").Expect(501, "5.1.3")
            .Send("RCPT TO:<a@[IPv6:zz::1]>\r\n").Expect(501, "5.1.3");

        yield return new Transcript("Rcpt_SourceRoute_AcceptedAndIgnored")
            .Ehlo().Send("MAIL FROM:<@a.test,@b.test:s@example.test>\r\n").Expect(250, "2.1.0")
            .Send("RCPT TO:<@relay.test:user@example.test>\r\n").Expect(250, "2.1.5")
            .Send("DATA\r\n").Expect(354, null).Send(Message + ".\r\n").Expect(250, "2.0.0")
            .StoresOne(m =>
            {
                Assert.Equal("s@example.test", m.Envelope.ReversePath);
                Assert.Equal("user@example.test", Assert.Single(m.Envelope.Recipients));
            });

        yield return new Transcript("Commands_LowerCaseVerbsAndParameters_Accepted")
            .Send("ehlo client.test\r\n").Expect(250, null)
            .Send("mail from:<a@example.test> size=10 body=8bitmime\r\n").Expect(250, "2.1.0")
            .Send("rcpt to:<b@example.test> notify=never\r\n").Expect(250, "2.1.5");

        yield return new Transcript("Commands_SpaceFormsClientsSend_Accepted")
            .Ehlo().Send("MAIL FROM: <a@example.test>\r\n").Expect(250, "2.1.0")
            .Send("RCPT  TO:<b@example.test>  NOTIFY=NEVER\r\n").Expect(250, "2.1.5")
            .Send("RSET\r\n").Expect(250, "2.0.0")
            .Send("MAIL  FROM:<a@example.test>\r\n").Expect(250, "2.1.0");

        yield return new Transcript("Commands_AddressWithoutBrackets_Refused501")
            .Ehlo().Send("MAIL FROM:a@example.test\r\n").Expect(501, "5.1.7");

        yield return new Transcript("Mail_UnknownParameter_Refused555")
            .Ehlo().Send("MAIL FROM:<a@example.test> FOO=bar\r\n").Expect(555, "5.5.4");

        yield return new Transcript("Rcpt_UnknownParameter_Refused555")
            .Envelope().Send("RCPT TO:<b@example.test> XFORWARD=1\r\n").Expect(555, "5.5.4");

        yield return new Transcript("Mail_RepeatedParameter_Refused501")
            .Ehlo().Send("MAIL FROM:<a@example.test> SIZE=1 SIZE=2\r\n").Expect(501, "5.1.7");

        yield return new Transcript("Rcpt_LocalPartOf64Octets_Accepted")
            .Envelope().Send($"RCPT TO:<{new string('l', 64)}@example.test>\r\n").Expect(250, "2.1.5");

        yield return new Transcript("Rcpt_LocalPartOf65Octets_Refused501")
            .Envelope().Send($"RCPT TO:<{new string('l', 65)}@example.test>\r\n").Expect(501, "5.1.3");

        yield return new Transcript("Rcpt_Utf8LocalPartOver64Octets_Refused501")
            .Ehlo().Send("MAIL FROM:<a@example.test> SMTPUTF8\r\n").Expect(250, "2.1.0")
            .Send($"RCPT TO:<{new string('é', 33)}@example.test>\r\n").Expect(501, "5.1.3");

        yield return new Transcript("Rcpt_PathOf256Octets_Accepted")
            .Envelope().Send($"RCPT TO:<a@{Domain(252)}>\r\n").Expect(250, "2.1.5");

        yield return new Transcript("Rcpt_PathOf257Octets_Refused501")
            .Envelope().Send($"RCPT TO:<a@{Domain(253)}>\r\n").Expect(501, "5.1.3");

        yield return new Transcript("Rcpt_DomainOf256Octets_Refused501")
            .Envelope().Send($"RCPT TO:<a@{Domain(256)}>\r\n").Expect(501, "5.1.3");

        yield return new Transcript("Rcpt_Postmaster_Accepted")
            .Envelope().Send("RCPT TO:<Postmaster>\r\n").Expect(250, "2.1.5");
    }

    private static IEnumerable<Transcript> Pipelining()
    {
        yield return new Transcript("Pipelining_GroupWithOneBadRecipient_RepliesInOrder")
            .Ehlo()
            .Send("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nRCPT TO:<bad>\r\n" +
                "RCPT TO:<c@example.test>\r\nDATA\r\n")
            .Expect(250, "2.1.0").Expect(250, "2.1.5").Expect(501, "5.1.3").Expect(250, "2.1.5").Expect(354, null)
            .Send(Message + ".\r\n").Expect(250, "2.0.0")
            .StoresOne(m => Assert.Equal(["b@example.test", "c@example.test"], m.Envelope.Recipients));

        // RFC 2920 §3.1: after a failed MAIL, the pipelined RCPT and DATA fail too, and nothing is stored.
        yield return new Transcript("Pipelining_GroupAfterFailedMail_RcptAndDataRefused503")
            .Ehlo().Send("MAIL FROM:<a@@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n")
            .Expect(501, "5.1.7").Expect(503, "5.5.1").Expect(503, "5.5.1")
            .Send("NOOP\r\n").Expect(250, "2.0.0").Stores(0);

        yield return new Transcript("Pipelining_ContentSentWithData_Refused554AndClosed")
            .Envelope().Send("DATA\r\n" + Message + ".\r\n").Expect(554, "5.5.0").ExpectClosed().Stores(0);

        yield return new Transcript("Pipelining_CommandsAfterRefusedData_NotExecuted")
            .Ehlo().Send("DATA\r\nMAIL FROM:<a@example.test>\r\n").Expect(554, "5.5.0").ExpectClosed();

        yield return new Transcript("Pipelining_CommandsAfterQueuedMessage_Executed")
            .Envelope().Send("DATA\r\n").Expect(354, null)
            .Send(Message + ".\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n")
            .Expect(250, "2.0.0").Expect(250, "2.1.0").Expect(250, "2.1.5");
    }

    private static IEnumerable<Transcript> Smuggling()
    {
        // Each known smuggling sequence: the bytes after it are still content, and the message is refused.
        string[] sequences = ["\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r\r\n.\r\r\n", "\r\n.\r", "\n.\r"];
        var names = new[] { "LfDotLf", "CrDotCr", "LfDotCrLf", "CrLfDotLf", "CrCrLfDotCrCrLf", "CrLfDotCr", "LfDotCr" };
        for (var i = 0; i < sequences.Length; i++)
        {
            yield return new Transcript($"Smuggling_{names[i]}_DoesNotEndDataAndIsRefused554")
                .Envelope().Send("DATA\r\n").Expect(354, null)
                .Send($"Subject: a\r\n\r\nfirst{sequences[i]}MAIL FROM:<evil@example.test>\r\n" +
                    "RCPT TO:<v@example.test>\r\n" +
                    "DATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n")
                .Expect(554, "5.6.0").Send("NOOP\r\n").Expect(250, "2.0.0").Stores(0);
        }

        yield return new Transcript("Smuggling_TerminatorSplitAcrossPackets_EndsDataOnce")
            .Envelope().Send("DATA\r\n").Expect(354, null)
            .SendInPieces("Subject: t\r\n\r\nbody\r", "\n.", "\r", "\nNOOP\r\n")
            .Expect(250, "2.0.0").Expect(250, "2.0.0").StoresContent(Message);

        yield return new Transcript("Smuggling_BareCrInsideLine_Refused554")
            .Envelope().Send("DATA\r\n").Expect(354, null).Send("Subject: a\rb\r\n\r\nx\r\n.\r\n").Expect(554, "5.6.0")
            .Stores(0);

        yield return new Transcript("Injection_CrInHeloName_Refused501")
            .Send("EHLO a\rb\r\n").Expect(501, "5.5.4").Send("HELO a\rb\r\n").Expect(501, "5.5.4");

        yield return new Transcript("Injection_CrInAddress_Refused501")
            .Ehlo().Send("MAIL FROM:<a\r@example.test>\r\n").Expect(501, "5.1.7");

        yield return new Transcript("Injection_CrInParameter_Refused501")
            .Ehlo().Send("MAIL FROM:<a@example.test> ENVID=a\rb\r\n").Expect(501, "5.1.7");

        yield return new Transcript("Injection_NulInCommand_Refused")
            .Ehlo().Send("MAIL FROM:<a\0@example.test>\r\n").Expect(501, "5.1.7")
            .Send("NO\0OP\r\n").Expect(500, "5.5.2");
    }

    private static IEnumerable<Transcript> Limits()
    {
        yield return new Transcript("Limits_CommandLineTooLong_Refused500")
            .With(o => o.MaxCommandLineLength = 512)
            .Ehlo().Send($"NOOP {new string('x', 600)}\r\n").Expect(500, "5.5.2").Send("NOOP\r\n").Expect(250, "2.0.0");

        yield return new Transcript("Limits_CommandWithoutLineEndTooLong_Refused500")
            .With(o => o.MaxCommandLineLength = 512)
            .Ehlo().Send(new string('x', 3000)).Expect(500, "5.5.2").Send("yyy\r\nNOOP\r\n").Expect(250, "2.0.0");

        yield return new Transcript("Limits_TextLineOver998Octets_AcceptedAndFlagged")
            .Envelope().Send("DATA\r\n").Expect(354, null)
            .Send($"Subject: t\r\n\r\n{new string('x', 999)}\r\n.\r\n").Expect(250, "2.0.0")
            .StoresOne(m => Assert.True(m.Envelope.HasLongLines));

        yield return new Transcript("Limits_TextLineOf998Octets_NotFlagged")
            .Envelope().Send("DATA\r\n").Expect(354, null)
            .Send($"Subject: t\r\n\r\n{new string('x', 998)}\r\n.\r\n").Expect(250, "2.0.0")
            .StoresOne(m => Assert.False(m.Envelope.HasLongLines));

        yield return new Transcript("Limits_HeaderSectionTooBig_Refused552")
            .With(o => o.MaxHeaderSize = 1000)
            .Envelope().Send("DATA\r\n").Expect(354, null)
            .Send(string.Concat(Enumerable.Repeat("X-Filler: " + new string('f', 90) + "\r\n", 11)) + "\r\nb\r\n.\r\n")
            .Expect(552, "5.3.4").Stores(0);

        yield return new Transcript("Limits_TooManyRecipients_Refused452")
            .With(o => o.MaxRecipients = 2)
            .Envelope().Send("RCPT TO:<b@example.test>\r\n").Expect(250, "2.1.5")
            .Send("RCPT TO:<c@example.test>\r\n").Expect(452, "4.5.3");

        yield return new Transcript("Limits_TooManyErrors_Closed421")
            .With(o => o.MaxErrors = 3)
            .Send("FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n").Expect(500, "5.5.2").Expect(500, "5.5.2").Expect(421, "4.7.0")
            .ExpectClosed();

        yield return new Transcript("Limits_IdleClient_Closed421")
            .With(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300))
            .Ehlo().Expect(421, "4.4.2").ExpectClosed();

        // The idle timeout counts from the last complete command, so bytes dripped every 0.6 s do not extend a
        // 2 s timeout: the 421 comes about 0.8 s after the last byte, not 2 s after it.
        yield return new Transcript("Limits_ClientDrippingACommand_Closed421")
            .With(o => o.IdleTimeout = TimeSpan.FromSeconds(2))
            .Ehlo().SendSlowly(TimeSpan.FromMilliseconds(600), "N", "O", "O")
            .Expect(421, "4.4.2", "Idle", within: TimeSpan.FromMilliseconds(1500)).ExpectClosed();

        yield return new Transcript("Limits_SessionTimeLimitDuringData_Closed421")
            .With(o => o.MaxSessionDuration = TimeSpan.FromMilliseconds(800))
            .Envelope().Send("DATA\r\n").Expect(354, null)
            .SendInPieces("Subject: slow\r\n", "\r\n", "a\r\n", "b\r\n")
            .Expect(421, "4.4.2", "Session time limit").ExpectClosed().Stores(0);

        yield return new Transcript("Loop_HundredReceivedHeaders_Accepted")
            .Envelope().Send("DATA\r\n").Expect(354, null).Send(WithReceived(100) + ".\r\n").Expect(250, "2.0.0");

        yield return new Transcript("Loop_MoreReceivedHeadersThanMax_Refused554")
            .Envelope().Send("DATA\r\n").Expect(354, null).Send(WithReceived(101) + ".\r\n").Expect(554, "5.4.6")
            .Stores(0);

        yield return new Transcript("Loop_ReceivedHopsOverConfiguredMax_Refused554")
            .With(o => o.MaxReceivedHeaders = 3)
            .Envelope().Bdat(WithReceived(3), last: true).Expect(250, "2.0.0")
            .Send("MAIL FROM:<a@example.test>\r\n").Expect(250, "2.1.0")
            .Send("RCPT TO:<b@example.test>\r\n").Expect(250, "2.1.5")
            .Bdat(WithReceived(4), last: true).Expect(554, "5.4.6").Stores(1);
    }

    private static string WithReceived(int hops) =>
        string.Concat(Enumerable.Range(0, hops).Select(i => $"Received: from h{i}.test by h{i + 1}.test; " +
            "Fri, 04 Dec 2026 16:00:00 +0000\r\n")) + "Subject: loop\r\n\r\nbody\r\n";

    // A dotted domain of exactly this many octets, in labels of at most 63.
    private static string Domain(int length)
    {
        var domain = new System.Text.StringBuilder();
        while (domain.Length < length)
        {
            if (domain.Length > 0)
            {
                domain.Append('.');
            }

            var take = Math.Min(63, length - domain.Length);
            if (length - domain.Length - take == 1)
            {
                take--;
            }

            domain.Append('d', take);
        }

        return domain.ToString();
    }
}
