namespace LlmStruct.Llm.Cloud;

/// <summary>
/// Checks every successful response before an SDK reads it: the content type must be one an LLM API answers with
/// (JSON or server-sent events; a proxy's <c>200 text/html</c> page is a failure, not an empty answer), and its body
/// is read through <see cref="IdleTimeoutStream"/>, so a server that stalls after the headers or between streamed
/// chunks fails the attempt after <see cref="CloudModelOptions.IdleTimeout"/> instead of hanging the call.
/// </summary>
internal sealed class ResponseGuardHandler(TimeSpan idleTimeout) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !(mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)))
        {
            int status = (int)response.StatusCode;
            response.Dispose();
            throw new HttpRequestException(
                $"the server answered HTTP {status} with content type '{mediaType ?? "none"}', not JSON or an event stream (a proxy or login page?)");
        }
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var guarded = new StreamContent(new IdleTimeoutStream(body, idleTimeout));
        foreach (var header in response.Content.Headers)
        {
            guarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content = guarded;
        return response;
    }
}
