using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Caching;
using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Core.Tests;

/// <summary>
/// The hand-written reader (<see cref="ModelReader"/>) against the reference: System.Text.Json with struct.json's
/// options. Both read the same bytes (random documents where every property of every record is set somewhere, in
/// the canonical layout and in the compact form the cache stores) and must agree: the same model (compared by its
/// canonical bytes), or both reject the input.
/// </summary>
public class ModelReaderTests
{
    [Property(MaxTest = 300)]
    public Property RandomDocuments_ReadAsTheReferenceReadsThem() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var document = RandomDocument(seed, full: false);
            var canonical = StructJson.Serialize(document);
            var compact = StructJson.SerializeCompact(document);
            return (SameAsReference(canonical) && SameAsReference(compact)).Label($"seed {seed}");
        });

    [Fact]
    public void EveryProperty_IsRead()
    {
        var document = RandomDocument(1, full: true);
        var bytes = StructJson.Serialize(document);
        // (Not byte for byte: a lone surrogate in the random texts reads back as U+FFFD, with either reader.)
        Assert.True(SameAsReference(bytes));
        Assert.True(SameAsReference(StructJson.SerializeCompact(document)));
    }

    [Fact]
    public void Modules_AndCachedParses_ReadAsTheReferenceReadsThem()
    {
        for (int seed = 0; seed < 40; seed++)
        {
            var document = RandomDocument(seed, full: seed % 2 == 0);
            foreach (var module in document.Modules)
            {
                var fragment = StructJson.SerializeModuleFragment(module);
                Assert.Equal(
                    StructJson.SerializeModuleFragment(ReferenceJson.Deserialize<ModuleInfo>(fragment)!),
                    StructJson.SerializeModuleFragment(ModelReader.Module(fragment)));
                var parse = new CachedParse { Module = module, Errors = document.Errors };
                var payload = StructJson.SerializeCompact(parse);
                var read = ModelReader.CachedParse(payload);
                var reference = ReferenceJson.Deserialize<CachedParse>(payload)!;
                Assert.Equal(StructJson.SerializeCompact(reference), StructJson.SerializeCompact(read));
            }
        }
    }

    [Fact]
    public void LeftOutProperties_KeepTheRecordsDefaults()
    {
        var document = ModelReader.Document("""{"modules": [{"path": "a.py", "definitions": [{"id": "a.py#f"}], "imports": [{"module": "os"}]}]}"""u8);
        var definition = document.Modules[0].Definitions[0];
        Assert.Equal(DefinitionKinds.Function, definition.Kind);
        Assert.True(definition.Calls.IsEmpty && definition.Children.IsEmpty && definition.Parameters.IsEmpty);
        Assert.Equal("import", document.Modules[0].Imports[0].Kind);
        Assert.Equal(StructDocument.CurrentVersion, document.Version);
        Assert.True(document.Errors.IsEmpty && document.Tasks.IsEmpty);
        Assert.Equal(1, ModelReader.Module("""{"definitions": [{"calls": [{"callee": "f"}]}]}"""u8).Definitions[0].Calls[0].Count);
    }

    [Fact]
    public void EscapedNamesAndWhitespace_AreRead()
    {
        var module = ModelReader.Module(" {\r\n\t\"p\\u0061th\" :\"a\\/b.py\" ,  \"lines\":3 }\n"u8);
        Assert.Equal("a/b.py", module.Path);
        Assert.Equal(3, module.Lines);
    }

    [Theory]
    [InlineData("""{"modules": [{"path": "a.py", "colour": "red"}]}""", "colour")]
    [InlineData("""{"modules": [{"path": 3}]}""", null)]
    [InlineData("""{"stats": {"modules": "3"}}""", null)]
    [InlineData("""{"stats": {"modules": 3000000000}}""", null)]
    [InlineData("""{"stats": {"lines": 1.5}}""", null)]
    [InlineData("""{"modules": [{"definitions": [{"async": "yes"}]}]}""", null)]
    [InlineData("""{"modules": {"path": "a.py"}}""", null)]
    [InlineData("""{"modules": null}""", null)]
    [InlineData("""{"project": null}""", null)]
    [InlineData("""{"modules": [}""", null)]
    [InlineData("""{"version": "1"} {}""", null)]
    [InlineData("""{"version": "1",}""", null)]
    [InlineData("// comment\n{}", null)]
    [InlineData("null", null)]
    [InlineData("", null)]
    [InlineData("[]", null)]
    public void BadInput_IsAJsonException(string json, string? named)
    {
        var error = Assert.Throws<JsonException>(() => ModelReader.Document(Encoding.UTF8.GetBytes(json)));
        if (named is not null)
        {
            Assert.Contains($"'{named}'", error.Message);
        }
    }

    [Fact]
    public void DeepNesting_PastTheWritersLimit_IsAJsonException()
    {
        var json = new StringBuilder("""{"modules": [{"definitions": [""");
        int depth = CanonicalWriter.MaxDepth;
        for (int i = 0; i < depth; i++)
        {
            json.Append("""{"children": [""");
        }
        json.Append(']', 1);
        Assert.Throws<JsonException>(() => ModelReader.Document(Encoding.UTF8.GetBytes(json.ToString())));
    }

    private static StructDocument RandomDocument(int seed, bool full) =>
        (StructDocument)new ModelWriterTests.RandomModel(new Random(seed), full).Build(typeof(StructDocument), 0);

    // Both readers give the same model (compared by canonical bytes), or both reject the bytes.
    private static bool SameAsReference(byte[] bytes)
    {
        byte[]? expected = null, actual = null;
        Exception? expectedError = null, actualError = null;
        try
        {
            expected = StructJson.Serialize(ReferenceJson.Deserialize<StructDocument>(bytes)!);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            expectedError = ex;
        }
        try
        {
            actual = StructJson.Serialize(ModelReader.Document(bytes));
        }
        catch (JsonException ex)
        {
            actualError = ex;
        }
        if (expectedError is not null || actualError is not null)
        {
            return expectedError is not null && actualError is not null;
        }
        return expected.AsSpan().SequenceEqual(actual);
    }
}
