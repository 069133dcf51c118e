namespace LlmStruct.Serve;

/// <summary>Options of the web UI and API that <see cref="ServeEndpoints.MapLlmStruct"/> mounts.</summary>
public sealed class ServeOptions
{
    /// <summary>The default request body limit: 1 MiB (a task's text, a form, a context request).</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The project folder: its struct.json and llmstruct.toml are the only files read or written.</summary>
    public string ProjectRoot { get; set; } = "";

    /// <summary>
    /// The access token every API call and every page with project data needs (<c>Authorization: Bearer</c>, or the
    /// cookie the login form sets). Required: an empty token refuses every request.
    /// </summary>
    public string Token { get; set; } = "";

    /// <summary>Largest request body accepted; a larger one is answered 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Name of the HttpOnly, SameSite=Strict cookie the login form sets.</summary>
    public string CookieName { get; set; } = "llmstruct_token";
}
