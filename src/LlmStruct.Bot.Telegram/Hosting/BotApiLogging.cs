using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Bot.Telegram.Hosting;

/// <summary>
/// Logs each Bot API call by its method name only (<c>sendMessage</c>, <c>getFile</c>, "file download"), with the
/// status and time: the URL carries the token (<c>/bot&lt;token&gt;/method</c>), so it is never logged.
/// </summary>
internal sealed partial class BotApiLogging(ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = MethodOf(request.RequestUri);
        var started = Stopwatch.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        LogCall(logger, method, (int)response.StatusCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return response;
    }

    /// <summary>The Bot API method a URL calls, without the token.</summary>
    internal static string MethodOf(Uri? uri)
    {
        var segments = uri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return segments is ["file", ..] ? "file download" : segments.Length >= 2 ? segments[^1] : "?";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bot API {Method}: {Status} in {Milliseconds} ms")]
    private static partial void LogCall(ILogger logger, string method, int status, long milliseconds);
}
