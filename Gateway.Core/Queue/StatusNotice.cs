using Gateway.Core.Domain;
using Gateway.Core.Ingest;

namespace Gateway.Core.Queue;

/// <summary>
/// A delivery status notification to queue in the same transaction as the outcomes it reports, so a notice is
/// queued exactly when its outcomes are recorded.
/// </summary>
public sealed record StatusNotice(Guid AboutMessageId, EventKind Kind, IncomingMessage Message);
