namespace Gateway.Api.Api.Send;

/// <summary>A queued message: poll <c>GET /api/v1/messages/{id}</c> for its delivery state.</summary>
/// <param name="Id">The queue id.</param>
/// <param name="MessageId">The Message-ID header of the queued message.</param>
/// <param name="Recipients">The envelope recipients.</param>
/// <param name="Replayed">True when an earlier request with the same Idempotency-Key queued it.</param>
public sealed record SendResult(Guid Id, string? MessageId, IReadOnlyList<string> Recipients, bool Replayed);
