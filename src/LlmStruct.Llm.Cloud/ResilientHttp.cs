using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LlmStruct.Llm.Cloud;

/// <summary>
/// The HTTP client every cloud provider sends through: a Polly pipeline (per-attempt timeout inside exponential-backoff
/// retries that honour Retry-After) as a <see cref="ResilienceHandler"/>. Retries live here, at the HTTP layer, because
/// that is where the status code and the Retry-After header are visible for every SDK alike; the SDKs' own retries are off.
/// A timed-out attempt is not retried: a server that does not answer in time is, for this request, down, and the
/// chain reaches the next provider in seconds. Outermost, <see cref="ResponseGuardHandler"/> rejects non-JSON answers
/// and bounds every read of the body by the idle timeout.
/// </summary>
internal static class ResilientHttp
{
    public static HttpClient Create(CloudModelOptions options)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.Time };
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryAfter,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options.MaxRetryAfter)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            });
        }
        pipeline.AddTimeout(new TimeoutStrategyOptions { Timeout = options.Timeout });
        var handler = new ResponseGuardHandler(options.IdleTimeout)
        {
            InnerHandler = new ResilienceHandler(pipeline.Build())
            {
                InnerHandler = new SocketsHttpHandler { ConnectTimeout = options.Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            },
        };
        // Each attempt is bounded by the pipeline; the client-wide timeout only guards a stalled streamed body.
        return new HttpClient(handler) { Timeout = Total(options) };
    }

    /// <summary>An upper bound for a whole call: every attempt, every delay, and a margin for reading the body.</summary>
    public static TimeSpan Total(CloudModelOptions options) =>
        options.Timeout * (options.MaxRetries + 2) + options.MaxRetryAfter * options.MaxRetries;

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter)
    {
        if (outcome.Exception is TimeoutRejectedException or TaskCanceledException { InnerException: TimeoutException })
        {
            return false;
        }
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }
        // A server that asks us to come back much later is, for this request, down: let the chain move on.
        return RetryAfter(outcome.Result) is not { } wait || wait <= maxRetryAfter;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        RetryConditionHeaderValue? header = response?.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }
        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
