using System.Net;
using System.Text;

namespace LlmStruct.TestSupport;

/// <summary>
/// The part the <see cref="HttpListener"/>-based fake servers share: a listener on 127.0.0.1 only, at a port that was
/// free a moment before, handing every request to a handler until it is disposed. The handler answers and closes
/// the response itself; <see cref="ReadBodyAsync"/> and <see cref="RespondAsync"/> are the common cases.
/// </summary>
internal sealed class LoopbackListener : IDisposable
{
    private readonly HttpListener _listener = new();

    /// <summary>Starts listening.</summary>
    /// <param name="handle">Answers one request.</param>
    /// <param name="concurrent">Each request on its own task; otherwise one after another, in arrival order.</param>
    public LoopbackListener(Func<HttpListenerContext, Task> handle, bool concurrent = false)
    {
        Origin = $"http://127.0.0.1:{FreePort()}";
        _listener.Prefixes.Add(Origin + "/");
        _listener.Start();
        _ = Task.Run(() => LoopAsync(handle, concurrent));
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, without a trailing slash.</summary>
    public string Origin { get; }

    /// <summary>A loopback port nothing listens on now (the system's pick, released at once).</summary>
    public static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>The request body as UTF-8 text.</summary>
    public static async Task<string> ReadBodyAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Answers <paramref name="status"/> with <paramref name="body"/> (UTF-8) and closes the response.</summary>
    public static async Task RespondAsync(HttpListenerResponse response, int status, string contentType, string body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
        response.Close();
    }

    public void Dispose() => _listener.Close();

    private async Task LoopAsync(Func<HttpListenerContext, Task> handle, bool concurrent)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            if (concurrent)
            {
                _ = Task.Run(() => handle(ctx));
            }
            else
            {
                await handle(ctx);
            }
        }
    }
}
