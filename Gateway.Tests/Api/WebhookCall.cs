namespace Gateway.Tests.Api;

/// <summary>One POST the webhook receiver got.</summary>
public sealed record WebhookCall(string Path, string Signature, string EventKind, string Body);
