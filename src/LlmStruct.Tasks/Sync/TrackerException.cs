namespace LlmStruct.Tasks.Sync;

/// <summary>
/// A tracker refused or failed a request after the retries (bad token, unknown project, rate limit beyond the wait
/// allowed, server errors). The message names the request and the status, never the token.
/// </summary>
public sealed class TrackerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrackerException(string message, int? statusCode = null, Exception? inner = null)
        : base(message, inner) => StatusCode = statusCode;

    /// <summary>The HTTP status of the last answer, or null when none came.</summary>
    public int? StatusCode { get; }

    /// <summary>Whether trying again later may succeed (5xx, rate limit, no answer).</summary>
    public bool IsTransient => StatusCode is null or 429 or >= 500;
}
