using System.Net;
using System.Text;
using System.Text.Json;
using LlmStruct.Llm.Tests.Servers;

namespace LlmStruct.Serve.Tests;

/// <summary>
/// <c>/analyze_task</c> and <c>/generate_diff</c> (JSON API and forms) through the real pipeline against a scripted
/// OpenAI-compatible server on 127.0.0.1, asked by the real cloud client.
/// </summary>
public sealed class WorkTests : IAsyncLifetime
{
    internal const string Plan = """{"summary":"Reject negative prices in total.","affected_files":["app/pricing.py"],"affected_symbols":["app/pricing.py#total"],"steps":["Check each subtotal","Raise ValueError"],"risks":["Callers that pass refunds"],"estimate":"small"}""";
    internal const string NewFileDiff = "--- /dev/null\n+++ b/app/discount.py\n@@ -0,0 +1,2 @@\n+def discount(net: int) -> int:\n+    return net // 10\n";

    private readonly ServeFactory _factory = new();
    private FakeLlmServer? _llm;

    public async Task InitializeAsync()
    {
        _llm = await FakeLlmServer.StartAsync();
        _factory.Write("llmstruct.toml", _factory.ReadConfig() + TestLlm.Provider(_llm.OpenAIEndpoint));
    }

    public async Task DisposeAsync()
    {
        await _llm!.DisposeAsync();
        _factory.Dispose();
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private string Discount => Path.Combine(_factory.Root, "app", "discount.py");

    [Fact]
    public async Task Analyze_api_returns_the_plan_checked_against_struct_json()
    {
        _llm!.Then(Reply.Ok(Plan, 300, 60));
        using var client = _factory.Api();

        var response = await client.PostAsync("/api/analyze_task", Body("""{"task":"Reject negative prices"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await JsonOf(response);
        Assert.Equal("Reject negative prices in total.", plan.GetProperty("summary").GetString());
        Assert.Equal("app/pricing.py#total", plan.GetProperty("affectedSymbols")[0].GetString());
        Assert.Equal(2, plan.GetProperty("steps").GetArrayLength());
        Assert.Equal("fake", plan.GetProperty("provider").GetString());
        Assert.Equal(1, plan.GetProperty("attempts").GetInt32());
        var sent = Assert.Single(_llm.Requests);
        Assert.Contains("Reject negative prices", sent.Body, StringComparison.Ordinal);
        Assert.Contains("app/pricing.py", sent.Body, StringComparison.Ordinal); // the struct context went with it
        // The call was metered in the project's usage store (what /usage charts).
        Assert.True(File.Exists(Path.Combine(_factory.Root, ".llmstruct", "usage.db")));
    }

    [Fact]
    public async Task Analyze_retries_an_unknown_symbol_then_gives_up_with_502_and_each_reason()
    {
        var wrong = Plan.Replace("app/pricing.py#total", "app/pricing.py#nope", StringComparison.Ordinal);
        _llm!.Then(Reply.Ok(wrong), Reply.Ok(wrong), Reply.Ok(wrong));
        using var client = _factory.Api();

        var response = await client.PostAsync("/api/analyze_task", Body("""{"task":"Reject negative prices"}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await JsonOf(response);
        Assert.Contains("3 attempts", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("app/pricing.py#nope", problem.GetProperty("attempts")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/analyze_task", """{"task":"  "}""")]
    [InlineData("/api/generate_diff", """{"focus":["app"]}""")]
    [InlineData("/api/apply_diff", """{}""")]
    public async Task Missing_input_is_400_with_a_readable_problem_and_no_model_call(string path, string json)
    {
        using var client = _factory.Api();
        var response = await client.PostAsync(path, Body(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonOf(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Empty(_llm!.Requests);
    }

    [Fact]
    public async Task Json_that_is_not_the_request_is_400()
    {
        using var client = _factory.Api();
        var response = await client.PostAsync("/api/analyze_task", Body("""{"task": 42"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", (await JsonOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/analyze_task")]
    [InlineData("/api/generate_diff")]
    [InlineData("/api/apply_diff")]
    public async Task Work_api_without_the_token_is_401(string path)
    {
        using var client = _factory.CreateClient();
        var response = await client.PostAsync(path, Body("""{"task":"x","hash":"y"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_llm!.Requests);
    }

    [Fact]
    public async Task Work_api_with_only_the_login_cookie_is_401()
    {
        // A change through the API needs the header; a cookie alone could be a cross-site post.
        using var client = await _factory.LoggedInAsync();
        var response = await client.PostAsync("/api/analyze_task", Body("""{"task":"x"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Oversized_task_is_413_before_any_model_call()
    {
        using var client = _factory.Api();
        var response = await client.PostAsync("/api/analyze_task", Body("{\"task\":\"" + new string('x', (int)ServeFactory.MaxBody) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_llm!.Requests);
    }

    [Fact]
    public async Task Generate_diff_writes_nothing_until_confirmed_by_its_hash_then_reports_the_files()
    {
        _llm!.Then(Reply.Ok("```diff\n" + NewFileDiff + "```"));
        using var client = _factory.Api();

        var made = await JsonOf(await client.PostAsync("/api/generate_diff", Body("""{"task":"Add a discount","focus":["app/tax.py"]}""")));
        Assert.Equal(NewFileDiff, made.GetProperty("diff").GetString());
        var hash = made.GetProperty("hash").GetString()!;
        Assert.Equal(64, hash.Length);
        Assert.Equal("added", made.GetProperty("files")[0].GetProperty("kind").GetString());
        Assert.False(File.Exists(Discount));
        Assert.Contains("return net // 5", Assert.Single(_llm.Requests).Body, StringComparison.Ordinal); // the focused file was sent

        var wrong = await client.PostAsync("/api/apply_diff", Body("{\"hash\":\"" + new string('0', 64) + "\"}"));
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.False(File.Exists(Discount));

        var applied = await client.PostAsync("/api/apply_diff", Body("{\"hash\":\"" + hash + "\"}"));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var file = Assert.Single((await JsonOf(applied)).GetProperty("files").EnumerateArray());
        Assert.Equal("app/discount.py", file.GetProperty("path").GetString());
        Assert.Equal("def discount(net: int) -> int:\n    return net // 10\n", File.ReadAllText(Discount));

        // Applied once: the hash is spent.
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/apply_diff", Body("{\"hash\":\"" + hash + "\"}"))).StatusCode);
    }

    [Fact]
    public async Task A_diff_the_tree_no_longer_takes_is_409_and_leaves_the_file()
    {
        _llm!.Then(Reply.Ok(NewFileDiff));
        using var client = _factory.Api();
        var hash = (await JsonOf(await client.PostAsync("/api/generate_diff", Body("""{"task":"Add a discount"}""")))).GetProperty("hash").GetString()!;
        _factory.Write("app/discount.py", "# written meanwhile\n");

        var response = await client.PostAsync("/api/apply_diff", Body("{\"hash\":\"" + hash + "\"}"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("# written meanwhile\n", File.ReadAllText(Discount));
    }

    [Fact]
    public async Task A_diff_outside_the_project_is_refused_422_and_nothing_is_written()
    {
        _llm!.Then(Reply.Ok("--- /dev/null\n+++ b/../outside.txt\n@@ -0,0 +1 @@\n+x\n"));
        using var client = _factory.Api();

        var response = await client.PostAsync("/api/generate_diff", Body("""{"task":"Escape"}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("refused", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_factory.Root)!, "outside.txt")));
    }

    [Fact]
    public async Task Without_a_configured_provider_work_is_503_saying_what_to_add()
    {
        _factory.Write("llmstruct.toml", "[project]\nname = \"shop\"\n");
        using var client = _factory.Api();
        var response = await client.PostAsync("/api/analyze_task", Body("""{"task":"x"}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("[[llm.providers]]", (await JsonOf(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_form_shows_the_plan_with_symbol_links()
    {
        _llm!.Then(Reply.Ok(Plan));
        using var client = await _factory.LoggedInAsync();
        var page = await client.GetStringAsync("/analyze_task");

        var response = await client.PostAsync("/analyze_task", Form(("__RequestVerificationToken", ServeFactory.AntiforgeryToken(page)), ("task", "Reject negative prices")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<p id=\"summary\">Reject negative prices in total.</p>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/code/symbol?id=app%2Fpricing.py%23total\"", html, StringComparison.Ordinal);
        Assert.Contains("<li>Raise ValueError</li>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/analyze_task", null)]
    [InlineData("/generate_diff", "CfDJ8-not-a-token")]
    [InlineData("/apply_diff", null)]
    public async Task Work_forms_with_a_missing_or_bad_antiforgery_token_are_400_and_ask_nothing(string path, string? token)
    {
        using var client = await _factory.LoggedInAsync();
        var fields = new List<(string, string)> { ("task", "Add a discount"), ("hash", new string('0', 64)) };
        if (token is not null)
        {
            fields.Add(("__RequestVerificationToken", token));
        }
        var response = await client.PostAsync(path, Form([.. fields]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anti-forgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_llm!.Requests);
    }

    [Fact]
    public async Task Diff_form_colours_the_diff_and_the_confirmation_applies_it()
    {
        _llm!.Then(Reply.Ok(NewFileDiff));
        using var client = await _factory.LoggedInAsync();
        var page = await client.GetStringAsync("/generate_diff");

        var made = await client.PostAsync("/generate_diff", Form(("__RequestVerificationToken", ServeFactory.AntiforgeryToken(page)), ("task", "Add a discount"), ("focus", "")));
        var html = await made.Content.ReadAsStringAsync();
        var shown = WebUtility.HtmlDecode(html); // the encoder writes + as &#x2B;

        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.Contains("<span class=\"d-file\">+++ b/app/discount.py</span>", shown, StringComparison.Ordinal);
        Assert.Contains("<span class=\"d-hunk\">@@ -0,0 +1,2 @@</span>", shown, StringComparison.Ordinal);
        Assert.Contains("<span class=\"d-add\">+    return net // 10</span>", shown, StringComparison.Ordinal);
        Assert.False(File.Exists(Discount));

        var confirm = html[html.IndexOf("id=\"confirm\"", StringComparison.Ordinal)..];
        var applied = await client.PostAsync("/apply_diff", Form(("__RequestVerificationToken", ServeFactory.AntiforgeryToken(confirm)), ("hash", ServeFactory.Hidden(confirm, "hash"))));

        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Contains("added <code>app/discount.py</code>", await applied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(File.Exists(Discount));
    }

    [Fact]
    public void Diff_lines_are_classed_by_what_they_are()
    {
        Assert.Equal("d-file", Work.DiffView.ClassOf("--- a/x.py"));
        Assert.Equal("d-file", Work.DiffView.ClassOf("+++ b/x.py"));
        Assert.Equal("d-hunk", Work.DiffView.ClassOf("@@ -1,2 +1,3 @@"));
        Assert.Equal("d-add", Work.DiffView.ClassOf("+x = 1"));
        Assert.Equal("d-del", Work.DiffView.ClassOf("-x = 0"));
        Assert.Equal("d-ctx", Work.DiffView.ClassOf(" y = 2"));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_work_and_usage_endpoints_but_not_the_pages()
    {
        using var client = _factory.CreateClient();
        var paths = (await JsonOf(await client.GetAsync("/openapi/v1.json"))).GetProperty("paths");
        foreach (var path in new[] { "/api/analyze_task", "/api/generate_diff", "/api/apply_diff" })
        {
            Assert.True(paths.GetProperty(path).TryGetProperty("post", out _), path);
        }
        Assert.True(paths.GetProperty("/api/usage").TryGetProperty("get", out _));
        Assert.False(paths.TryGetProperty("/analyze_task", out _));
        Assert.False(paths.TryGetProperty("/usage", out _));
    }
}
