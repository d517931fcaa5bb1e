namespace Gateway.Smtp.Transport;

/// <summary>Tells the connection handler which configured listener a connection came in on.</summary>
public sealed record SmtpListenerFeature(SmtpListenerOptions Listener);
