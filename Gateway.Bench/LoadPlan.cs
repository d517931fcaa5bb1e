namespace Gateway.Bench;

/// <summary>How to load a server: sessions, messages in all, messages per connection, size and target rate.</summary>
/// <param name="Rate">Messages per second across all sessions; 0 sends as fast as the server answers.</param>
public sealed record LoadPlan(
    int Port, int Sessions, int Messages, int PerConnection, bool Pipelining, int Size, int Rate);
