namespace Gateway.Smtp.Relay.Routing;

public enum MxLookupOutcome
{
    /// <summary>Mail exchangers (or the domain itself, when it has no MX) with their addresses, best first.</summary>
    Hosts,

    /// <summary>The domain publishes a null MX: it accepts no mail (RFC 7505).</summary>
    NullMx,

    /// <summary>The domain, or every exchanger it names, does not exist.</summary>
    NoSuchDomain,

    /// <summary>DNS did not answer, or answered with an error worth retrying.</summary>
    TemporaryFailure,
}
