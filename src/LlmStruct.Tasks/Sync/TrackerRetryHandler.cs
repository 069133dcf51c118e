using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Tasks.Sync;

/// <summary>How tracker requests wait and retry (<see cref="TrackerRetryHandler"/>).</summary>
public sealed record TrackerRetryOptions
{
    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first back-off after a server error (doubled on each further one).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest single wait: a rate limit that resets later fails the request with a message naming when.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock that <c>X-RateLimit-Reset</c> is compared with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How a wait is done (a host or a test may record or shorten it); null waits with <see cref="Time"/>.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }
}

/// <summary>
/// Retries tracker requests: a rate limit (429, or 403 with <c>Retry-After</c> or an exhausted
/// <c>X-RateLimit-Remaining</c>) waits for <c>Retry-After</c> or until <c>X-RateLimit-Reset</c> /
/// <c>RateLimit-Reset</c>; a server error (500, 502, 503, 504) or a lost connection backs off 1, 2, 4… seconds; both
/// bounded by <see cref="TrackerRetryOptions"/>. A <c>POST</c> is not repeated after a server error, since the tracker
/// may have acted on it: the caller looks before it tries again (task sync finds the issue by its marker).
/// Logs the method, path and status only, never headers.
/// </summary>
public sealed class TrackerRetryHandler : DelegatingHandler
{
    private readonly TrackerRetryOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the handler over <paramref name="inner"/> (a new <see cref="SocketsHttpHandler"/> when null).</summary>
    public TrackerRetryHandler(TrackerRetryOptions? options = null, ILogger? logger = null, HttpMessageHandler? inner = null)
        : base(inner ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        _options = options ?? new TrackerRetryOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int max = Math.Max(1, _options.MaxAttempts);
        for (int attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (attempt < max && request.Method != HttpMethod.Post && !cancellationToken.IsCancellationRequested)
            {
                var backoff = Backoff(attempt);
                _logger.LogWarning("{Method} {Path}: no answer ({Error}); retrying in {Seconds} s (attempt {Attempt} of {Max})",
                    request.Method, request.RequestUri?.AbsolutePath, ex.HttpRequestError, backoff.TotalSeconds, attempt + 1, max);
                await WaitAsync(backoff, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var wait = RetryWait(request, response, attempt);
            if (wait is not { } delay || attempt >= max)
            {
                return response;
            }
            if (delay > _options.MaxWait)
            {
                _logger.LogWarning("{Method} {Path}: rate limited for {Seconds} s, longer than the {Max} s allowed; giving up",
                    request.Method, request.RequestUri?.AbsolutePath, Math.Ceiling(delay.TotalSeconds), _options.MaxWait.TotalSeconds);
                return response;
            }
            _logger.LogWarning("{Method} {Path}: {Status}; retrying in {Seconds} s (attempt {Attempt} of {Max})",
                request.Method, request.RequestUri?.AbsolutePath, (int)response.StatusCode, delay.TotalSeconds, attempt + 1, max);
            response.Dispose();
            await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan? RetryWait(HttpRequestMessage request, HttpResponseMessage response, int attempt)
    {
        var status = response.StatusCode;
        bool rateLimited = status == HttpStatusCode.TooManyRequests
            || (status == HttpStatusCode.Forbidden && (response.Headers.RetryAfter is not null || Header(response, "X-RateLimit-Remaining") == "0" || Header(response, "RateLimit-Remaining") == "0"));
        if (rateLimited)
        {
            if (response.Headers.RetryAfter is { } retryAfter)
            {
                if (retryAfter.Delta is { } delta)
                {
                    return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
                }
                if (retryAfter.Date is { } date)
                {
                    return Clamp(date - _options.Time.GetUtcNow());
                }
            }
            var reset = Header(response, "X-RateLimit-Reset") ?? Header(response, "RateLimit-Reset");
            if (long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out long epoch))
            {
                // One second past the reset: the counter resets on whole seconds.
                return Clamp(DateTimeOffset.FromUnixTimeSeconds(epoch) - _options.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
            }
            return Backoff(attempt);
        }
        bool serverError = status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
        return serverError && request.Method != HttpMethod.Post ? Backoff(attempt) : null;
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    private TimeSpan Backoff(int attempt) => _options.BaseDelay * Math.Pow(2, attempt - 1);

    private Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        _options.Delay is { } delayFn ? delayFn(delay, cancellationToken) : Task.Delay(delay, _options.Time, cancellationToken);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
