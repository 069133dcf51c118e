namespace LlmStruct.Cli;

/// <summary>Exit codes a script can rely on.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Errors were found (with <c>--fail-on-error</c>) or the validated file is invalid.</summary>
    public const int Findings = 1;

    /// <summary><c>analyze</c> / <c>diff</c>: the model did not produce a valid result within the retry budget, or its diff was refused.</summary>
    public const int ModelFailed = 1;

    /// <summary>Bad usage or an I/O problem (missing input, unreadable config, cannot write output).</summary>
    public const int UsageOrIo = 2;
}
