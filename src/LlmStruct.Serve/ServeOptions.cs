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

    /// <summary>
    /// Builds the services of the LLM chain from llmstruct.toml's <c>[llm]</c> and the project folder (the host's
    /// composition: <c>AddLlmStructLlm()</c> and the model packages it ships). Null: <c>/analyze_task</c> and
    /// <c>/generate_diff</c> answer 503. The provider is disposed after each piece of work when it is disposable.
    /// </summary>
    public Func<LlmStruct.Configuration.LlmOptions, string, IServiceProvider>? LlmServices { get; set; }

    /// <summary>
    /// Follow the project's files while serving and parse changes incrementally (the <c>--watch</c> machinery):
    /// the code map and symbol search show an edit without a restart. Default false (a host opts in; <c>llmstruct serve</c> does).
    /// </summary>
    public bool Watch { get; set; }

    /// <summary>Milliseconds the tree must be quiet before a burst of changes is parsed. Default 200.</summary>
    public int WatchDebounceMs { get; set; } = 200;

    /// <summary>How many times an invalid plan or diff is sent back to the model. Default 2.</summary>
    public int WorkRetries { get; set; } = 2;

    /// <summary>Name of the HttpOnly, SameSite=Strict cookie the login form sets.</summary>
    public string CookieName { get; set; } = "llmstruct_token";
}
