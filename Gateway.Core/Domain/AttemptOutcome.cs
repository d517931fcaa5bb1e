namespace Gateway.Core.Domain;

public enum AttemptOutcome
{
    Delivered,
    Deferred,
    Failed,
}
