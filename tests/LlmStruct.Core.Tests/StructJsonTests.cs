using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Core.Tests;

public class StructJsonTests
{
    [Fact]
    public void Serialize_LeavesOutNullFalseAndEmpty_AndRoundTrips()
    {
        var doc = new StructDocument
        {
            Project = new ProjectInfo { Name = "demo" },
            Modules =
            [
                new ModuleInfo
                {
                    Path = "a.py", Language = "python", Sha256 = new string('0', 64), Lines = 3,
                    Definitions = [new Definition { Id = "a.py#f", Kind = "function", Name = "f", QualifiedName = "f", StartLine = 1, EndLine = 2, Async = true }],
                },
            ],
        };
        var bytes = StructJson.Serialize(doc);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"qualified_name\": \"f\"", text);
        Assert.Contains("\"async\": true", text);
        Assert.DoesNotContain("\"static\"", text);
        Assert.DoesNotContain("\"children\"", text);
        Assert.DoesNotContain("\r", text);
        Assert.EndsWith("}\n", text);
        Assert.Equal(bytes, StructJson.Serialize(StructJson.Deserialize(bytes)));
    }

    public static TheoryData<int> ModuleCounts => [0, 1, 2, 63, 64, 65, 700];

    [Theory]
    [MemberData(nameof(ModuleCounts))]
    public async Task ModuleByModuleWriter_GivesTheWholeDocumentSerializersBytes_AndSpansLocateEachModule(int modules)
    {
        var doc = new StructDocument
        {
            Project = new ProjectInfo { Name = "demo", Summary = "A \"quoted\" summary\nwith ünïcode and \u2028." },
            Context = new ContextInfo { Summary = "s", Files = [new ContextFile { Path = "m0.py", Reason = "entry_point" }] },
            Instructions = new InstructionSet { Base = ["b1", "b2"], Custom = ["c"] },
            Stats = new StructStats { Modules = modules, Languages = [new LanguageStats { Language = "python", Modules = modules }] },
            Modules = [.. Enumerable.Range(0, modules).Select(i => new ModuleInfo
            {
                Path = $"m{i:D4}.py", Language = "python", Sha256 = new string('0', 64), Lines = i,
                Imports = i % 3 == 0 ? [new ImportInfo { Module = "os", Line = 1 }] : [],
                Definitions = [new Definition
                {
                    Id = $"m{i:D4}.py#f", Kind = "function", Name = "f", QualifiedName = "f", StartLine = 1, EndLine = 2,
                    Calls = [new CallInfo { Callee = "print", Line = 2 }],
                    Children = i % 2 == 0 ? [] : [new Definition { Id = $"m{i:D4}.py#f.g", Kind = "function", Name = "g", QualifiedName = "f.g", StartLine = 2, EndLine = 2 }],
                }],
            })],
            Errors = [new ParseError { File = "x.py", Line = 1, Column = 2, Reason = "invalid syntax" }],
            Skipped = [new SkippedFile { Path = "big.py", Reason = "too large" }],
            Tasks =
            [
                new TaskItem { Id = "T1", Title = "t", Labels = ["x"] },
                new TaskItem
                {
                    Id = "T2", Title = "all fields", Status = "in_progress", Description = "two\nlines", Labels = ["a", "b"], Priority = "high",
                    Assignees = ["@kim"], Milestone = "v1", DependsOn = ["T1"], Files = ["m0000.py"], Symbols = ["m0000.py#f", "Nope"], Unresolved = ["Nope"],
                    Github = new TaskGitHubLink { Number = 12, Url = "https://github.com/o/r/issues/12" }, Gitlab = new TaskGitLabLink { Iid = 3 },
                },
                new TaskItem { Id = "T3", Title = "flat", Priority = "low", Milestone = "v2" },
            ],
        };
        var whole = ReferenceJson.SerializeWhole(doc);
        Assert.Equal(whole, StructJson.Serialize(doc));
        using var stream = new MemoryStream();
        var spans = await StructJson.SerializeWithSpansAsync(stream, doc);
        var written = stream.ToArray();
        Assert.Equal(whole, written);
        Assert.Equal(modules, spans.Length);
        for (int i = 0; i < modules; i++)
        {
            Assert.Equal(StructJson.SerializeModuleFragment(doc.Modules[i]), written.AsSpan((int)spans[i].Offset, spans[i].Length).ToArray());
        }
        Assert.Equal(ReferenceJson.SerializeWhole(new StructDocument()), StructJson.Serialize(new StructDocument()));
    }
}

public class SplicedWriterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SplicedOutput_EqualsTheWholePatchedDocument_ThroughAFileOrAnyStream(bool toFile)
    {
        var modules = Enumerable.Range(0, 300).Select(i => new ModuleInfo
        {
            Path = $"m{i:D3}.py", Language = "python", Sha256 = new string('0', 64), Lines = i,
            Definitions = [new Definition { Id = $"m{i:D3}.py#f", Kind = "function", Name = "f", QualifiedName = "f", StartLine = 1, EndLine = 2 }],
        }).ToArray();
        var doc = new StructDocument { Project = new ProjectInfo { Name = "p" }, Modules = [.. modules] };
        var dir = Directory.CreateTempSubdirectory("llmstruct-splice");
        try
        {
            var oldPath = Path.Combine(dir.FullName, "old.json");
            ModuleSpan[] spans;
            await using (var old = File.Create(oldPath))
            {
                spans = await StructJson.SerializeWithSpansAsync(old, doc);
            }
            var replaced = new Dictionary<int, ModuleInfo>
            {
                [0] = modules[0] with { Lines = 1000, Docstring = "changed" },
                [150] = modules[150] with { Definitions = [] },
                [299] = modules[299] with { Lines = 7 },
            };
            var patched = doc with
            {
                Project = new ProjectInfo { Name = "q" },
                Modules = [.. modules.Select((m, i) => replaced.GetValueOrDefault(i, m))],
            };
            using var previous = File.OpenHandle(oldPath);
            byte[] written;
            ModuleSpan[] newSpans;
            if (toFile)
            {
                var newPath = Path.Combine(dir.FullName, "new.json");
                await using (var target = new FileStream(newPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.Asynchronous))
                {
                    newSpans = await StructJson.SerializeSplicedAsync(target, patched with { Modules = [] }, replaced, previous, spans);
                }
                written = await File.ReadAllBytesAsync(newPath);
            }
            else
            {
                using var target = new MemoryStream();
                newSpans = await StructJson.SerializeSplicedAsync(target, patched with { Modules = [] }, replaced, previous, spans);
                written = target.ToArray();
            }
            Assert.Equal(StructJson.Serialize(patched), written);
            Assert.Equal((await StructJson.SerializeWithSpansAsync(new MemoryStream(), patched)).ToArray(), newSpans);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

public class CanonicalLayoutTests
{
    private static string Layout(string compact) => System.Text.Encoding.UTF8.GetString(LlmStruct.Json.CanonicalLayout.Apply(System.Text.Encoding.UTF8.GetBytes(compact)));

    [Fact]
    public void ScalarOnlyContainers_AreOneLine_OthersOneMemberPerLine()
    {
        var text = Layout("""{"a":1,"calls":[{"callee":"f","line":3},{"callee":"g(\"]\")","line":4}],"names":["x","y"],"empty":{},"o":{"p":[1,2],"q":null}}""");
        Assert.Equal(
            "{\n  \"a\": 1,\n  \"calls\": [\n    {\"callee\": \"f\", \"line\": 3},\n    {\"callee\": \"g(\\\"]\\\")\", \"line\": 4}\n  ],\n"
            + "  \"names\": [\"x\", \"y\"],\n  \"empty\": {},\n  \"o\": {\n    \"p\": [1, 2],\n    \"q\": null\n  }\n}",
            text);
    }

    [Theory]
    [InlineData("""{"s":"a,b:c{d}[e]\\\\","t":"\u2028 \"q\" \\\""}""")]
    [InlineData("""[[],[[1]],{"k":[{"a":[true,false]}]}]""")]
    [InlineData("\"just a string\"")]
    [InlineData("42")]
    public void Layout_KeepsTheValue(string compact)
    {
        var laid = Layout(compact);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(compact), System.Text.Json.Nodes.JsonNode.Parse(laid)));
        Assert.DoesNotContain("\r", laid);
    }
}
