using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmStruct.TestSupport;

namespace LlmStruct.Tasks.Tests.Sync;

/// <summary>
/// The shared part of the fake GitHub and GitLab servers: a real HTTP server on 127.0.0.1 (HttpListener) that checks
/// the token, keeps its state in memory, counts writes, logs every request line, and answers faults queued by a test
/// (a 429 with <c>Retry-After</c>, a 502 before or after acting).
/// </summary>
public abstract class FakeTrackerServer : IDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly object _gate = new();
    private int _writes;

    protected FakeTrackerServer(string token, string basePath)
    {
        Token = token;
        _listener = new LoopbackListener(ServeAsync, concurrent: true);
        Origin = _listener.Origin;
        ApiUrl = Origin + basePath;
    }

    /// <summary>The token requests must carry.</summary>
    public string Token { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string Origin { get; }

    /// <summary>The API root to give the client (<c>--api-url</c>).</summary>
    public string ApiUrl { get; }

    /// <summary>Successful writes (POST, PATCH, PUT) so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Every request as <c>METHOD /path?query</c>, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Called after each successful write with the count so far (a test cancels a sync halfway with it).</summary>
    public Action<int>? AfterWrite { get; set; }

    /// <summary>The next request with <paramref name="method"/> (or any, for <c>*</c>) is answered <paramref name="status"/> with the headers; with <paramref name="actFirst"/> the server does the work first.</summary>
    public void FailNext(string method, int status, bool actFirst = false, params (string Name, string Value)[] headers) =>
        _faults.Enqueue(new Fault(method, status, actFirst, headers));

    /// <summary>Faults queued and not yet used.</summary>
    public int PendingFaults => _faults.Count;

    public void Dispose()
    {
        _listener.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether the request's credentials are the token.</summary>
    protected abstract bool Authorized(HttpListenerRequest request);

    /// <summary>Handles one authorized request under the lock: the status, the JSON answer and extra headers.</summary>
    protected abstract (int Status, JsonNode? Body, IReadOnlyList<(string, string)> Headers) Handle(string method, string[] segments, Dictionary<string, string> query, JsonNode? body);

    protected static (int, JsonNode?, IReadOnlyList<(string, string)>) Ok(JsonNode? body, int status = 200, params (string, string)[] headers) => (status, body, headers);

    protected static (int, JsonNode?, IReadOnlyList<(string, string)>) Error(int status, string message) => (status, new JsonObject { ["message"] = message }, []);

    protected static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private async Task ServeAsync(HttpListenerContext ctx)
    {
        try
        {
            var request = ctx.Request;
            var raw = request.RawUrl ?? "/";
            Requests.Enqueue($"{request.HttpMethod} {raw}");
            var text = await LoopbackListener.ReadBodyAsync(request);
            (int Status, JsonNode? Body, IReadOnlyList<(string, string)> Headers) answer;
            if (!Authorized(request))
            {
                answer = Error(401, "Bad credentials");
            }
            else
            {
                var fault = NextFault(request.HttpMethod);
                if (fault is not null && !fault.ActFirst)
                {
                    answer = (fault.Status, new JsonObject { ["message"] = "injected fault" }, fault.Headers);
                }
                else
                {
                    var (path, query) = Split(raw);
                    var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
                    var body = text.Length == 0 ? null : JsonNode.Parse(text);
                    bool write = request.HttpMethod is "POST" or "PATCH" or "PUT";
                    int count = 0;
                    lock (_gate)
                    {
                        answer = Handle(request.HttpMethod, segments, query, body);
                        if (write && answer.Status is >= 200 and < 300)
                        {
                            count = Interlocked.Increment(ref _writes);
                        }
                    }
                    if (count > 0)
                    {
                        AfterWrite?.Invoke(count);
                    }
                    if (fault is not null)
                    {
                        answer = (fault.Status, new JsonObject { ["message"] = "injected fault after acting" }, fault.Headers);
                    }
                }
            }
            foreach (var (name, value) in answer.Headers)
            {
                ctx.Response.Headers[name] = value;
            }
            var json = answer.Body?.ToJsonString() ?? "";
            ctx.Response.ContentLength64 = Encoding.UTF8.GetByteCount(json);
            await LoopbackListener.RespondAsync(ctx.Response, answer.Status, "application/json; charset=utf-8", json);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (a cancelled sync): nothing to answer.
        }
    }

    private Fault? NextFault(string method)
    {
        lock (_faults)
        {
            if (_faults.TryPeek(out var fault) && (fault.Method == "*" || fault.Method == method))
            {
                _faults.TryDequeue(out _);
                return fault;
            }
            return null;
        }
    }

    private static (string Path, Dictionary<string, string> Query) Split(string raw)
    {
        int q = raw.IndexOf('?', StringComparison.Ordinal);
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (q >= 0)
        {
            foreach (var pair in raw[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                query[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        }
        return (q >= 0 ? raw[..q] : raw, query);
    }

    private sealed record Fault(string Method, int Status, bool ActFirst, (string Name, string Value)[] Headers);
}
