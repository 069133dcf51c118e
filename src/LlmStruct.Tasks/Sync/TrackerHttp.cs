using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Tasks.Sync;

/// <summary>
/// The HTTP side the tracker clients share: one <see cref="HttpClient"/> over <see cref="TrackerRetryHandler"/>,
/// requests whose failures become <see cref="TrackerException"/>s naming the service, the remote, the request and the
/// status (never a header), JSON read through source-generated metadata (the CLI ships as Native AOT), and pages
/// followed up to a bound.
/// </summary>
internal sealed class TrackerHttp : IDisposable
{
    private const int MaxPages = 10_000;
    private readonly string _service;
    private readonly string _remote;
    private readonly string _tokenVariable;
    private readonly string _remoteKind;

    public TrackerHttp(string service, string remote, string tokenVariable, string remoteKind, Uri baseAddress, TrackerRetryOptions? retry, ILogger logger)
    {
        _service = service;
        _remote = remote;
        _tokenVariable = tokenVariable;
        _remoteKind = remoteKind;
        Client = new HttpClient(new TrackerRetryHandler(retry, logger))
        {
            BaseAddress = WithSlash(baseAddress),
            Timeout = TimeSpan.FromSeconds(100),
        };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd("llmstruct");
    }

    /// <summary>The client; callers add their authentication and media-type headers once.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Sends one request. A success is returned; so is a 404 or 410 when <paramref name="allowMissing"/>. Anything
    /// else (after the handler's retries) throws a <see cref="TrackerException"/> with the start of the answer's text.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string pathOrUrl, HttpContent? content, string what, CancellationToken cancellationToken, bool allowMissing = false)
    {
        using var request = new HttpRequestMessage(method, pathOrUrl) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new TrackerException($"{_service} {_remote}: {what} failed: {ex.Message}", null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TrackerException($"{_service} {_remote}: {what} timed out", null, ex);
        }
        if (response.IsSuccessStatusCode || (allowMissing && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone))
        {
            return response;
        }
        int status = (int)response.StatusCode;
        string detail = "";
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            detail = text.Length > 300 ? text[..300] : text;
        }
        finally
        {
            response.Dispose();
        }
        var hint = status == 401 ? $" (is {_tokenVariable} set and valid?)"
            : status == 404 ? $" (does the {_remoteKind} {_remote} exist and can the token see it?)"
            : "";
        throw new TrackerException($"{_service} {_remote}: {what} failed: {status} {response.ReasonPhrase}{hint} {detail}".TrimEnd(), status);
    }

    /// <summary>Sends a JSON body and reads the JSON answer.</summary>
    public async Task<TResult> SendJsonAsync<TBody, TResult>(
        HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResult> resultType, string what, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(body, bodyType);
        using var response = await SendAsync(method, path, content, what, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, resultType, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads an answer's JSON; an empty or malformed answer is a <see cref="TrackerException"/>.</summary>
    public async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new TrackerException($"{_service} {_remote}: {what}: the answer was empty", (int)response.StatusCode);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new TrackerException($"{_service} {_remote}: {what}: the answer is not the expected JSON ({ex.Message})", (int)response.StatusCode, ex);
        }
    }

    /// <summary>
    /// Reads every page of a list: <paramref name="next"/> names the next page's address from an answer (null on the
    /// last page). At most 10,000 pages, so a tracker that always answers "next" cannot hold a run forever.
    /// </summary>
    public async Task<List<T>> GetAllPagesAsync<T>(
        string firstPage, string what, JsonTypeInfo<List<T>> type, Func<HttpResponseMessage, string?> next, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        string? page = firstPage;
        for (int pages = 0; pages < MaxPages && page is not null; pages++)
        {
            using var response = await SendAsync(HttpMethod.Get, page, null, what, cancellationToken).ConfigureAwait(false);
            all.AddRange(await ReadAsync(response, type, what, cancellationToken).ConfigureAwait(false));
            page = next(response);
            if (page is null)
            {
                return all;
            }
        }
        throw new TrackerException($"{_service} {_remote}: {what}: more than {MaxPages} pages");
    }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();

    /// <summary>The address with a trailing slash, so relative paths append to it.</summary>
    public static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
