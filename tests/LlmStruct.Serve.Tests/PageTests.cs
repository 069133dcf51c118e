using System.Net;
using System.Text.RegularExpressions;

namespace LlmStruct.Serve.Tests;

/// <summary>The pages and forms: login cookie, anti-forgery, the board's edits in llmstruct.toml, the code map.</summary>
public sealed class PageTests : IDisposable
{
    private readonly ServeFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [Theory]
    [InlineData("/tasks")]
    [InlineData("/tasks/TSK-002")]
    [InlineData("/code")]
    [InlineData("/code/symbol?id=x")]
    [InlineData("/context")]
    public async Task Pages_with_project_data_send_a_stranger_to_the_login_form(string path)
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login?return=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Reject negative prices", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_sets_an_httponly_samesite_strict_cookie_only_for_the_right_token()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/login");
        var wrong = await client.PostAsync("/login", Form(("__RequestVerificationToken", ServeFactory.AntiforgeryToken(page)), ("token", "nope"), ("return", "/tasks")));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain(wrong.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith("llmstruct_token=", StringComparison.Ordinal));

        var right = await client.PostAsync("/login", Form(("__RequestVerificationToken", ServeFactory.AntiforgeryToken(page)), ("token", ServeFactory.Token), ("return", "//evil.example/")));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/tasks", right.Headers.Location!.ToString());
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"), v => v.StartsWith("llmstruct_token=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tasks")).StatusCode);
    }

    [Fact]
    public async Task Login_without_the_antiforgery_token_is_400()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await client.GetStringAsync("/login");
        var response = await client.PostAsync("/login", Form(("token", ServeFactory.Token)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(v => v.StartsWith("llmstruct_token=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_board_lists_filters_and_encodes_task_text()
    {
        using var api = _factory.Api();
        await api.PostAsync("/api/tasks", new StringContent("""{"title":"<script>alert(1)</script> & more","labels":["ui"]}""", System.Text.Encoding.UTF8, "application/json"));
        using var client = await _factory.LoggedInAsync();
        var board = await client.GetStringAsync("/tasks");
        Assert.Contains("Reject negative prices", board, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", board, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", board, StringComparison.Ordinal);
        var filtered = await client.GetStringAsync("/tasks?label=docs");
        Assert.Contains("Document the checkout flow", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("Reject negative prices", filtered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_task_form_changes_llmstruct_toml_and_the_history()
    {
        using var client = await _factory.LoggedInAsync();
        var page = await client.GetStringAsync("/tasks/TSK-002");
        var response = await client.PostAsync("/update_task", Form(
            ("__RequestVerificationToken", ServeFactory.AntiforgeryToken(page)), ("id", "TSK-002"), ("version", ServeFactory.Hidden(page, "version")),
            ("return", "/tasks/TSK-002"), ("status", "blocked"), ("priority", "low"), ("title", "Reject negative prices everywhere")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var toml = _factory.ReadConfig();
        Assert.Contains("status = \"blocked\"", toml, StringComparison.Ordinal);
        Assert.Contains("priority = \"low\"", toml, StringComparison.Ordinal);
        Assert.Contains("title = \"Reject negative prices everywhere\"", toml, StringComparison.Ordinal);
        var after = await client.GetStringAsync("/tasks/TSK-002");
        Assert.Matches(new Regex("<td>status</td><td>in_progress</td><td>blocked</td><td>ui</td>"), after);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("CfDJ8-not-a-token")]
    public async Task Update_task_with_a_missing_or_bad_antiforgery_token_is_400_and_writes_nothing(string? token)
    {
        using var client = await _factory.LoggedInAsync();
        var page = await client.GetStringAsync("/tasks/TSK-002");
        var before = _factory.ReadConfig();
        var fields = new List<(string, string)> { ("id", "TSK-002"), ("version", ServeFactory.Hidden(page, "version")), ("status", "done") };
        if (token is not null)
        {
            fields.Add(("__RequestVerificationToken", token));
        }
        var response = await client.PostAsync("/update_task", Form([.. fields]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anti-forgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, _factory.ReadConfig());
    }

    [Fact]
    public async Task A_stale_form_is_409_and_the_other_edit_stays()
    {
        using var client = await _factory.LoggedInAsync();
        var page = await client.GetStringAsync("/tasks/TSK-002");
        string token = ServeFactory.AntiforgeryToken(page), version = ServeFactory.Hidden(page, "version");
        var first = await client.PostAsync("/update_task", Form(("__RequestVerificationToken", token), ("id", "TSK-002"), ("version", version), ("status", "done")));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var second = await client.PostAsync("/update_task", Form(("__RequestVerificationToken", token), ("id", "TSK-002"), ("version", version), ("status", "open")));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("changed since it was read", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("status = \"done\"", _factory.ReadConfig().Split("TSK-002")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_form_adds_a_task()
    {
        using var client = await _factory.LoggedInAsync();
        var page = await client.GetStringAsync("/tasks");
        var response = await client.PostAsync("/tasks/new", Form(("__RequestVerificationToken", ServeFactory.AntiforgeryToken(page)), ("title", "Write the serve docs"), ("labels", "docs, serve")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/tasks/TSK-003", response.Headers.Location!.ToString());
        Assert.Contains("labels = [\"docs\", \"serve\"]", _factory.ReadConfig(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_form_is_413()
    {
        using var client = await _factory.LoggedInAsync();
        var page = await client.GetStringAsync("/tasks");
        var response = await client.PostAsync("/tasks/new", Form(("__RequestVerificationToken", ServeFactory.AntiforgeryToken(page)), ("title", new string('x', (int)ServeFactory.MaxBody))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Code_map_links_a_definition_to_its_callers_and_callees()
    {
        using var client = await _factory.LoggedInAsync();
        var map = await client.GetStringAsync("/code");
        Assert.Contains("href=\"/code/module?path=app%2Fpricing.py\"", map, StringComparison.Ordinal);
        using var api = _factory.Api();
        var taxId = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync("/api/symbols?q=tax_for")).RootElement[0].GetProperty("id").GetString()!;
        var tax = await client.GetStringAsync("/code/symbol?id=" + Uri.EscapeDataString(taxId));
        Assert.Contains("tax_for(net: int, country: str) -&gt; int", tax, StringComparison.Ordinal);
        var caller = Regex.Match(tax, "<ul id=\"callers\"><li><a href=\"([^\"]+)\">([^<]+)</a>");
        Assert.True(caller.Success, tax);
        Assert.Contains("total", caller.Groups[2].Value, StringComparison.Ordinal);
        var total = await client.GetStringAsync(System.Net.WebUtility.HtmlDecode(caller.Groups[1].Value));
        Assert.Contains("Sum of the basket including tax.", total, StringComparison.Ordinal);
        Assert.Contains("href=\"/code/symbol?id=" + Uri.EscapeDataString(taxId) + "\"", total, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/code/module?path=../../etc/passwd")]
    [InlineData("/code/module?path=%2Fetc%2Fpasswd")]
    [InlineData("/code/symbol?id=..%2F..%2Fetc%2Fpasswd")]
    public async Task A_path_outside_struct_json_is_never_opened(string path)
    {
        using var client = await _factory.LoggedInAsync();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_page_shows_the_rendered_context_and_its_token_count()
    {
        using var client = await _factory.LoggedInAsync();
        var page = await client.GetStringAsync("/context?focus=app%2Ftax.py&budget=250&format=md");
        var tokens = Regex.Match(page, "<p id=\"tokens\">(\\d+) tokens of 250");
        Assert.True(tokens.Success, page);
        Assert.InRange(int.Parse(tokens.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 250);
        Assert.Contains("<pre id=\"context\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_forbid_framing_and_foreign_scripts()
    {
        using var client = await _factory.LoggedInAsync();
        var response = await client.GetAsync("/code");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'nonce-", csp, StringComparison.Ordinal);
    }
}
