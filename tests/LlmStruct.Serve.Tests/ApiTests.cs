using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlmStruct.Json;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Serve.Tests;

/// <summary>The JSON API through the real pipeline (routing, filters, tasks package, SQLite store, llmstruct.toml).</summary>
public sealed class ApiTests : IDisposable
{
    private readonly ServeFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Lists_tasks_and_filters_by_status_assignee_and_label()
    {
        using var client = _factory.Api();
        var all = await JsonOf(await client.GetAsync("/api/tasks"));
        Assert.Equal(["TSK-001", "TSK-002"], all.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var open = await JsonOf(await client.GetAsync("/api/tasks?status=in_progress&assignee=@kim&label=bug"));
        var only = Assert.Single(open.EnumerateArray());
        Assert.Equal("TSK-002", only.GetProperty("id").GetString());
        Assert.Equal(16, only.GetProperty("version").GetString()!.Length);
        Assert.Empty((await JsonOf(await client.GetAsync("/api/tasks?label=docs&status=open"))).EnumerateArray());
    }

    [Fact]
    public async Task Bad_filter_is_400_with_a_readable_problem()
    {
        using var client = _factory.Api();
        var response = await client.GetAsync("/api/tasks?status=finished");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonOf(response);
        Assert.Contains("unknown status 'finished'", problem.GetProperty("errors").GetProperty("status")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/tasks")]
    [InlineData("GET", "/api/tasks/TSK-001")]
    [InlineData("GET", "/api/symbols?q=total")]
    [InlineData("POST", "/api/tasks")]
    [InlineData("PATCH", "/api/tasks/TSK-001")]
    [InlineData("POST", "/api/context")]
    public async Task Every_api_call_without_the_token_is_401(string method, string path)
    {
        using var client = _factory.CreateClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = Body("{\"title\":\"x\",\"version\":\"x\"}");
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        Assert.DoesNotContain("TSK-002", _factory.ReadConfig().Replace("id = \"TSK-002\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_login_cookie_reads_but_does_not_change_through_the_api()
    {
        using var browser = await _factory.LoggedInAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/tasks")).StatusCode);
        var before = _factory.ReadConfig();
        var response = await browser.PostAsync("/api/tasks", Body("{\"title\":\"Sneaky\"}"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, _factory.ReadConfig());
    }

    [Fact]
    public async Task Gets_one_task_with_its_history_and_404_for_an_unknown_one()
    {
        using var client = _factory.Api();
        var task = await JsonOf(await client.GetAsync("/api/tasks/TSK-002"));
        Assert.Equal("Reject negative prices", task.GetProperty("task").GetProperty("title").GetString());
        Assert.Contains(task.GetProperty("history").EnumerateArray(), e => e.GetProperty("field").GetString() == "created" && e.GetProperty("source").GetString() == "toml");
        var missing = await client.GetAsync("/api/tasks/TSK-404");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no task 'TSK-404'", (await JsonOf(missing)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creates_a_task_in_llmstruct_toml_keeping_comments()
    {
        using var client = _factory.Api();
        var response = await client.PostAsync("/api/tasks", Body("""{"title":"Cache the context","priority":"low","labels":["perf"]}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var task = await JsonOf(response);
        Assert.Equal("TSK-003", task.GetProperty("id").GetString());
        Assert.Equal("/api/tasks/TSK-003", response.Headers.Location?.ToString());
        var toml = _factory.ReadConfig();
        Assert.Contains("title = \"Cache the context\"", toml, StringComparison.Ordinal);
        Assert.Contains("# Tasks of the shop (comments stay when the board edits them).", toml, StringComparison.Ordinal);
        var history = await JsonOf(await client.GetAsync("/api/tasks/TSK-003"));
        Assert.Contains(history.GetProperty("history").EnumerateArray(), e => e.GetProperty("source").GetString() == "ui");
    }

    [Theory]
    [InlineData("{\"priority\":\"low\"}", "title")]
    [InlineData("{\"title\":\"x\",\"status\":\"later\"}", "status")]
    [InlineData("{\"title\":\"x\",\"id\":\"bad id!\"}", "id")]
    [InlineData("{\"title\":\"x\",\"id\":\"TSK-001\"}", "id")]
    [InlineData("{\"title\": ", "body")]
    [InlineData("[1,2]", "body")]
    public async Task Bad_create_is_400_naming_the_field_and_writes_nothing(string json, string field)
    {
        using var client = _factory.Api();
        var before = _factory.ReadConfig();
        var response = await client.PostAsync("/api/tasks", Body(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonOf(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("errors").GetProperty(field)[0].GetString()));
        Assert.Equal(before, _factory.ReadConfig());
    }

    [Fact]
    public async Task Updates_with_the_current_version_and_refuses_a_stale_one_with_409()
    {
        using var client = _factory.Api();
        var version = (await JsonOf(await client.GetAsync("/api/tasks/TSK-002"))).GetProperty("task").GetProperty("version").GetString();

        // Two clients read the same version; the first wins, the second is told (never silently lost).
        var first = await client.PatchAsync("/api/tasks/TSK-002", Body($$"""{"version":"{{version}}","status":"done","assignees":["@lee"]}"""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var updated = await JsonOf(first);
        Assert.NotEqual(version, updated.GetProperty("version").GetString());
        var toml = _factory.ReadConfig();
        Assert.Contains("status = \"done\"", toml.Split("TSK-002")[1], StringComparison.Ordinal);
        Assert.Contains("assignees = [\"@lee\"]", toml, StringComparison.Ordinal);

        var second = await client.PatchAsync("/api/tasks/TSK-002", Body($$"""{"version":"{{version}}","status":"blocked"}"""));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await JsonOf(second);
        Assert.Equal(updated.GetProperty("version").GetString(), problem.GetProperty("currentVersion").GetString());
        Assert.Equal(toml, _factory.ReadConfig());
    }

    [Fact]
    public async Task An_edit_rewrites_struct_json_tasks_exactly_as_a_fresh_parse_would()
    {
        var pipeline = _factory.Services.GetRequiredService<StructPipeline>();
        var request = new PipelineRequest { Root = _factory.Root, ConfigPath = _factory.Config };
        var structFile = Path.Combine(_factory.Root, "struct.json");
        File.WriteAllBytes(structFile, StructJson.Serialize((await pipeline.RunAsync(request)).Document));

        using var client = _factory.Api();
        var version = (await JsonOf(await client.GetAsync("/api/tasks/TSK-002"))).GetProperty("task").GetProperty("version").GetString();
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsync("/api/tasks/TSK-002", Body($$"""{"version":"{{version}}","status":"blocked"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/tasks", Body("""{"title":"Third","labels":["b","a"]}"""))).StatusCode);

        var written = File.ReadAllBytes(structFile);
        var tasks = JsonDocument.Parse(written).RootElement.GetProperty("tasks");
        Assert.Equal("blocked", tasks.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "TSK-002").GetProperty("status").GetString());
        Assert.Equal(3, tasks.GetArrayLength());
        Assert.Equal(StructJson.Serialize((await pipeline.RunAsync(request)).Document), written);
        // The served view follows: the code map still answers, the board shows the change.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/symbols?q=total")).StatusCode);
    }

    [Fact]
    public async Task Update_without_version_or_with_bad_values_is_400_and_unknown_task_404()
    {
        using var client = _factory.Api();
        var before = _factory.ReadConfig();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchAsync("/api/tasks/TSK-002", Body("{\"status\":\"done\"}"))).StatusCode);
        var version = (await JsonOf(await client.GetAsync("/api/tasks/TSK-002"))).GetProperty("task").GetProperty("version").GetString();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchAsync("/api/tasks/TSK-002", Body($$"""{"version":"{{version}}","title":"  "}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchAsync("/api/tasks/TSK-002", Body($$"""{"version":"{{version}}","status":"Done"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsync("/api/tasks/TSK-999", Body($$"""{"version":"{{version}}"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PatchAsync("/api/tasks/TSK-002", new StringContent("{}", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(before, _factory.ReadConfig());
    }

    [Fact]
    public async Task Oversized_bodies_are_413_declared_or_streamed()
    {
        using var client = _factory.Api();
        var before = _factory.ReadConfig();
        var big = "{\"title\":\"" + new string('x', (int)ServeFactory.MaxBody) + "\"}";
        var declared = await client.PostAsync("/api/tasks", Body(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal("application/problem+json", declared.Content.Headers.ContentType?.MediaType);

        // Chunked: no length up front, refused while reading.
        var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/tasks") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(before, _factory.ReadConfig());
    }

    [Fact]
    public async Task Symbol_search_finds_definitions_and_needs_a_query()
    {
        using var client = _factory.Api();
        var hits = await JsonOf(await client.GetAsync("/api/symbols?q=tax_"));
        var hit = Assert.Single(hits.EnumerateArray());
        Assert.Equal("tax_for", hit.GetProperty("name").GetString());
        Assert.Equal("app/tax.py", hit.GetProperty("path").GetString());
        var sub = await JsonOf(await client.GetAsync("/api/symbols?q=SUBTOTAL"));
        Assert.Equal("subtotal", sub[0].GetProperty("name").GetString());
        var none = await client.GetAsync("/api/symbols?q=");
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.True((await JsonOf(none)).GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task Context_is_rendered_within_the_budget_with_its_token_count()
    {
        using var client = _factory.Api();
        var response = await client.PostAsync("/api/context", Body("""{"focus":["app/tax.py"],"budget":300}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var context = await JsonOf(response);
        int tokens = context.GetProperty("tokens").GetInt32();
        Assert.InRange(tokens, 1, 300);
        Assert.Contains("tax", context.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/context", Body("""{"budget":0}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/context", Body("""{"format":"pdf"}"""))).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_json_endpoints_only()
    {
        using var client = _factory.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await JsonOf(response)).GetProperty("paths");
        foreach (var path in new[] { "/api/tasks", "/api/tasks/{id}", "/api/symbols", "/api/context" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
        Assert.False(paths.TryGetProperty("/update_task", out _));
        Assert.True(paths.GetProperty("/api/tasks/{id}").TryGetProperty("patch", out _));
    }
}
