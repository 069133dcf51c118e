using System.Text.Json;
using Json.Schema;
using LlmStruct.Llm.Local.Grammar;
using LlmStruct.Llm.Work;
using LlmStruct.Model;
using Microsoft.Extensions.AI;

namespace LlmStruct.Llm.Local.Tests;

/// <summary>
/// The JSON schema → GBNF translator, checked the only way that counts: the tiny random-weight model samples under
/// the grammar (llama.cpp parses it), and every answer is validated against the schema by an independent validator.
/// </summary>
// One collection with every class that loads models: LocalModel.Loads is process-wide, so a load in a parallel class would be counted here.
[Collection("llama.cpp models")]
public sealed class GrammarTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmstruct-grammar-tests", Guid.NewGuid().ToString("n"));
    private readonly LocalModel _model;

    public GrammarTests()
    {
        Directory.CreateDirectory(_dir);
        _model = LocalModel.Load(new LocalModelOptions
        {
            Name = "local",
            ModelPath = TinyGguf.Write(Path.Combine(_dir, "tiny.gguf")),
            ContextSize = 2048,
            Threads = 1,
            MaxOutputTokens = 160,
            Temperature = 1.0f,
        });
    }

    public void Dispose()
    {
        _model.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A small struct.json: two files, three definitions (the ids the plan schema enumerates).</summary>
    private static StructDocument Document() => new()
    {
        Modules =
        [
            new ModuleInfo { Path = "src/App.cs", Language = "csharp", Definitions = [new Definition { Id = "src/App.cs#Demo.App", Name = "App", QualifiedName = "Demo.App", Kind = "class" }] },
            new ModuleInfo
            {
                Path = "src/Parser.cs", Language = "csharp",
                Definitions =
                [
                    new Definition { Id = "src/Parser.cs#Demo.Parser", Name = "Parser", QualifiedName = "Demo.Parser", Kind = "class" },
                    new Definition { Id = "src/Parser.cs#Demo.Parser.Parse(string)", Name = "Parse", QualifiedName = "Demo.Parser.Parse", Kind = "method" },
                ],
            },
        ],
    };

    // Every schema the product sends: the plan of analyze_task, with the struct's ids as enums and without (a large struct).
    public static TheoryData<string> ProductSchemas() => new()
    {
        { "analyze_task with enums" },
        { "analyze_task plain" },
    };

    private static JsonElement ProductSchema(string name)
    {
        var plugin = new StructWorkPlugin(new NoChatClient(), name.EndsWith("plain", StringComparison.Ordinal) ? new StructDocument() : Document(), Path.GetTempPath());
        return plugin.AnalysisSchema();
    }

    [Theory]
    [MemberData(nameof(ProductSchemas))]
    public async Task ProductSchema_EveryOneOf50Seeds_GivesSchemaValidJson(string name)
    {
        var schema = ProductSchema(name);
        var validator = JsonSchema.FromText(schema.GetRawText());
        using var chat = _model.AsChatClient();
        for (int seed = 1; seed <= 50; seed++)
        {
            var text = await AnswerAsync(chat, schema, seed, maxTokens: 220);
            AssertValid(validator, text, $"seed {seed}");
        }
    }

    [Fact]
    public void ProductSchema_WithEnums_ListsTheStructsIdsAndFiles()
    {
        var schema = ProductSchema("analyze_task with enums");
        var properties = schema.GetProperty("properties");
        Assert.Equal(
            ["src/App.cs#Demo.App", "src/Parser.cs#Demo.Parser", "src/Parser.cs#Demo.Parser.Parse(string)"],
            properties.GetProperty("affected_symbols").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            ["src/App.cs", "src/Parser.cs"],
            properties.GetProperty("affected_files").GetProperty("items").GetProperty("anyOf")[0].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Bounds_ShrinkUntilTheLongestAnswerFitsTheBudget()
    {
        var schema = ProductSchema("analyze_task plain");

        var roomy = JsonSchemaGrammar.Translate(schema, 100_000);
        var tight = JsonSchemaGrammar.Translate(schema, 300);

        Assert.True(roomy.MaxBytes > 300, $"unscaled worst case {roomy.MaxBytes}");
        Assert.InRange(tight.MaxBytes, 1, 300);
        Assert.Contains(" char char{0,399}", roomy.Gbnf); // the schema's own maxLength when it fits
        Assert.DoesNotContain("char{0,399}", tight.Gbnf);
    }

    public static TheoryData<string, string> Features() => new()
    {
        { "object, required and optional", """{"type":"object","properties":{"a":{"type":"string","maxLength":5},"b":{"type":"integer"},"c":{"type":"boolean"}},"required":["b"]}""" },
        { "no required property", """{"type":"object","properties":{"x":{"type":"null"},"y":{"type":"number"}}}""" },
        { "array bounds", """{"type":"array","items":{"type":"integer"},"minItems":2,"maxItems":4}""" },
        { "enum and const", """{"type":"object","properties":{"kind":{"enum":["add","remove",3,null]},"v":{"const":{"k":[1,2]}}},"required":["kind","v"]}""" },
        { "pattern", """{"type":"string","pattern":"^[a-z]{2,4}-\\d{3}(\\.[A-Z]x?)?$"}""" },
        { "pattern with quote and backslash", """{"type":"string","pattern":"^[\"\\\\a]{1,6}$"}""" },
        { "nested refs", """{"$defs":{"step":{"type":"object","properties":{"name":{"type":"string","maxLength":8},"tags":{"type":"array","items":{"$ref":"#/$defs/tag"},"maxItems":2}},"required":["name","tags"]},"tag":{"enum":["a","b"]}},"type":"array","items":{"$ref":"#/$defs/step"},"maxItems":3}""" },
        { "anyOf and type lists", """{"anyOf":[{"type":"string","maxLength":3},{"type":["integer","null"]}]}""" },
        { "definitions", """{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"p":{"type":"object","properties":{"q":{"type":"string","minLength":2,"maxLength":3}},"required":["q"],"additionalProperties":false}},"$ref":"#/definitions/p"}""" },
    };

    [Theory]
    [MemberData(nameof(Features))]
    public async Task Feature_GivesSchemaValidJson(string feature, string schemaText)
    {
        var schema = JsonDocument.Parse(schemaText).RootElement.Clone();
        var validator = JsonSchema.FromText(schemaText);
        using var chat = _model.AsChatClient();
        for (int seed = 1; seed <= 8; seed++)
        {
            var text = await AnswerAsync(chat, schema, seed, maxTokens: 120);
            AssertValid(validator, text, $"{feature}, seed {seed}");
        }
    }

    [Theory]
    [InlineData("""{"$ref":"https://example.com/s.json"}""", "only local $refs")]
    [InlineData("""{"$ref":"#/$defs/none"}""", "points to nothing")]
    [InlineData("""{"type":"string","pattern":"^(?=a)b$"}""", "look-arounds")]
    [InlineData("""{"type":"date"}""", "unknown JSON schema type")]
    public void Unsupported_IsAClearError(string schemaText, string message)
    {
        var error = Assert.Throws<NotSupportedException>(() => JsonSchemaGrammar.Translate(JsonDocument.Parse(schemaText).RootElement, 500));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task WithoutASchema_TheModelIsFree()
    {
        // The same seed with and without the grammar: without it, the random model's text is not JSON.
        using var chat = _model.AsChatClient();
        var free = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Plan.")], new ChatOptions { Seed = 3, MaxOutputTokens = 40 });
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(free.Text));
    }

    private static async Task<string> AnswerAsync(IChatClient chat, JsonElement schema, int seed, int maxTokens)
    {
        var options = new ChatOptions
        {
            Seed = seed,
            MaxOutputTokens = maxTokens,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer"),
        };
        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.System, "Answer in JSON."), new ChatMessage(ChatRole.User, "Plan.")], options);
        return response.Text;
    }

    private static void AssertValid(JsonSchema validator, string text, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            Assert.Fail($"{what}: not JSON ({ex.Message}): {text}");
            return;
        }
        using (document)
        {
            var result = validator.Evaluate(document.RootElement);
            Assert.True(result.IsValid, $"{what}: not valid against the schema: {text}");
        }
    }

    private sealed class NoChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("not asked in these tests");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("not asked in these tests");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

/// <summary><c>native_library_path</c>: a folder that is missing or holds no llama.cpp library is a clear error, before anything loads.</summary>
public sealed class NativeLibraryPathTests
{
    [Fact]
    public void MissingFolder_OrNoLibraryInIt_IsAClearError()
    {
        var folder = Path.Combine(Path.GetTempPath(), "llmstruct-native-tests", Guid.NewGuid().ToString("n"));
        var model = TinyGguf.Write(Path.Combine(Path.GetTempPath(), $"llmstruct-native-{Guid.NewGuid():n}.gguf"));
        try
        {
            var options = new LocalModelOptions { Name = "gpu", ModelPath = model, NativeLibraryPath = folder };
            var missing = Assert.Throws<LocalModelException>(() => LocalModel.Load(options));
            Assert.Equal($"native_library_path not found: {folder}", missing.Message);

            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "README.txt"), "not a library");
            var empty = Assert.Throws<LocalModelException>(() => LocalModel.Load(options));
            Assert.Contains($"native_library_path {folder} holds no llama.cpp library (libllama.so)", empty.Message);
        }
        finally
        {
            File.Delete(model);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void ConfigPath_IsResolvedAgainstTheProjectFolder()
    {
        var options = LocalModelOptions.FromConfig(
            new LlmStruct.Configuration.LlmProviderOptions { Name = "gpu", Kind = "local", ModelPath = "m.gguf", NativeLibraryPath = "natives/cuda12" }, "/work/project");
        Assert.Equal("/work/project/natives/cuda12", options.NativeLibraryPath);
    }
}
