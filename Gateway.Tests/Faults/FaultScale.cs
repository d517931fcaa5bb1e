namespace Gateway.Tests.Faults;

/// <summary>
/// How hard the fault tests push. CI runs the short form (a couple of minutes for all of them); set
/// GATEWAY_FAULT_LONG=1 for the long form: more clients, more connections, more crashes, longer outages.
/// </summary>
internal static class FaultScale
{
    public const string LongVariable = "GATEWAY_FAULT_LONG";

    public static bool IsLong => Environment.GetEnvironmentVariable(LongVariable) is "1" or "true";

    public static int Pick(int shortForm, int longForm) => IsLong ? longForm : shortForm;

    public static TimeSpan Pick(TimeSpan shortForm, TimeSpan longForm) => IsLong ? longForm : shortForm;
}
