using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;
using LlmStruct.Schema;

namespace LlmStruct.Core.Tests.Pipeline;

public class StructPipelineTests
{
    [Fact]
    public async Task Run_ParsesEveryFile_InCanonicalOrder_WithStats()
    {
        using var tree = new TempTree();
        tree.Write("b.tst", "import os\ndef main\ncall helper\n");
        tree.Write("a/z.tst", "class C\n def m\n");
        tree.Write("a/readme.txt", "not a source file");

        var doc = await PipelineHarness.RunAsync(tree.Root);

        Assert.Equal(["a/z.tst", "b.tst"], doc.Modules.Select(m => m.Path));
        var b = doc.Modules[1];
        Assert.Equal("test", b.Language);
        Assert.Equal(3, b.Lines);
        Assert.Equal(64, b.Sha256.Length);
        Assert.Equal("b.tst#main", b.Definitions[0].Id);
        Assert.Equal("helper", b.Definitions[0].Calls[0].Callee);
        Assert.Equal("a/z.tst#C.m", doc.Modules[0].Definitions[0].Children[0].Id);
        Assert.Equal(2, doc.Stats.Modules);
        Assert.Equal(3, doc.Stats.Definitions);
        Assert.Equal(5, doc.Stats.Lines);
        Assert.True(StructSchema.Validate(StructJson.Serialize(doc)).IsValid);
        Assert.Empty(StructValidator.Check(StructJson.Serialize(doc)));
    }

    [Fact]
    public async Task BadInput_BecomesErrorsAndSkips_AndTheRestIsIntact()
    {
        using var tree = new TempTree();
        tree.Write("good.tst", "def ok\n");
        tree.WriteBytes("binary.tst", [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01, 0x02]);
        tree.WriteBytes("latin1.tst", [0x64, 0x65, 0x66, 0x20, 0xE9, 0x0A]);
        tree.Write("empty.tst", "");
        tree.WriteBytes("huge.tst", new byte[20 * 1024 * 1024]);
        tree.Write("syntax.tst", "def before\n  error\ndef after\n");
        tree.Write("crash.tst", "throw\n");
        tree.Dir("folder.tst");
        tree.Write("folder.tst/inner.tst", "def inner\n");

        var doc = await PipelineHarness.RunAsync(tree.Root);

        Assert.Equal(["crash.tst", "empty.tst", "folder.tst/inner.tst", "good.tst", "latin1.tst", "syntax.tst"], doc.Modules.Select(m => m.Path));
        Assert.Equal(0, doc.Modules.Single(m => m.Path == "empty.tst").Lines);
        Assert.Equal(["after", "before"], doc.Modules.Single(m => m.Path == "syntax.tst").Definitions.Select(d => d.Name).Order());
        Assert.Collection(doc.Errors,
            e => Assert.Equal(("crash.tst", 0, "internal parser error (InvalidOperationException): test parser crash"), (e.File, e.Line, e.Reason)),
            e => Assert.Equal(("latin1.tst", 1, "invalid UTF-8 at byte 4"), (e.File, e.Line, e.Reason)),
            e => Assert.Equal(("syntax.tst", 2, 3, "invalid syntax"), (e.File, e.Line, e.Column, e.Reason)));
        Assert.Collection(doc.Skipped,
            s => Assert.Equal(("binary.tst", "binary file (NUL byte in the first 8 KiB)"), (s.Path, s.Reason)),
            s => Assert.Equal("huge.tst", s.Path));
        Assert.StartsWith("larger than max_file_bytes (20971520 > ", doc.Skipped[1].Reason);
        Assert.Equal(3, doc.Stats.Errors);
        Assert.Equal(2, doc.Stats.Skipped);
        Assert.Empty(StructValidator.Check(StructJson.Serialize(doc)));
    }

    [Fact]
    public async Task FileThatVanishesBeforeItIsRead_IsAnError()
    {
        using var tree = new TempTree();
        tree.Write("a.tst", "def a\n");
        var doomed = tree.Write("b.tst", "def b\n");
        var progress = new SyncProgress(p =>
        {
            if (p.CurrentPath == "a.tst")
            {
                File.Delete(doomed);
            }
        });

        var doc = await PipelineHarness.RunAsync(tree.Root, parallelism: 1, progress: progress);

        Assert.Equal(["a.tst"], doc.Modules.Select(m => m.Path));
        var error = Assert.Single(doc.Errors);
        Assert.Equal("b.tst", error.File);
        Assert.StartsWith("cannot read file:", error.Reason);
        Assert.DoesNotContain(tree.Root, error.Reason); // no absolute path in struct.json
    }

    [Fact]
    public async Task Fifo_NamedLikeASourceFile_DoesNotHang()
    {
        using var tree = new TempTree();
        tree.Write("a.tst", "def a\n");
        var fifo = Path.Combine(tree.Root, "pipe.tst");
        if (!TryMkfifo(fifo))
        {
            return; // mkfifo is not available on this platform; the other bad-input tests still run.
        }
        var doc = await PipelineHarness.RunAsync(tree.Root);
        Assert.Contains(doc.Modules, m => m.Path == "a.tst");
    }

    [Fact]
    public async Task SymlinkLoop_IsNotFollowedForever()
    {
        using var tree = new TempTree();
        tree.Write("pkg/a.tst", "def a\n");
        Directory.CreateSymbolicLink(Path.Combine(tree.Root, "pkg", "loop"), Path.Combine(tree.Root, "pkg"));
        File.CreateSymbolicLink(Path.Combine(tree.Root, "dangling.tst"), Path.Combine(tree.Root, "missing.tst"));

        var notFollowed = await PipelineHarness.RunAsync(tree.Root);
        Assert.Equal(["pkg/a.tst"], notFollowed.Modules.Select(m => m.Path));
        Assert.Contains(notFollowed.Skipped, s => s.Path == "dangling.tst" && s.Reason == "broken symbolic link");

        var options = new LlmStructOptions { Project = new ProjectOptions { Name = "t" } };
        options.Parsing.FollowSymlinks = true;
        var followed = await PipelineHarness.RunAsync(tree.Root, options: options);
        Assert.Equal(["pkg/a.tst"], followed.Modules.Select(m => m.Path));
        Assert.Contains(followed.Skipped, s => s.Path == "pkg/loop" && s.Reason == "symbolic link loop not followed");
    }

    [Fact]
    public async Task Options_FlowIntoTheDocument()
    {
        using var tree = new TempTree();
        tree.Write("src/a.tst", "def a\n");
        tree.Write("src/gen/b.tst", "def b\n");
        tree.Write("README.md", "# Title\n\n[![badge](x)](y)\n\nThe first\nparagraph.\n\nSecond.\n");
        var options = ConfigLoader.Parse("""
            [project]
            name = "demo"
            [parsing]
            exclude = ["gen"]
            [instructions]
            custom = ["Be brief."]
            """).Options;

        var doc = await PipelineHarness.RunAsync(tree.Root, options: options);

        Assert.Equal("demo", doc.Project.Name);
        Assert.Equal("The first paragraph.", doc.Context.Summary);
        Assert.Equal(["Be brief."], doc.Instructions.Custom.AsEnumerable());
        Assert.Equal(["src/a.tst"], doc.Modules.Select(m => m.Path));
    }

    [Fact]
    public async Task RenamedIds_LeaveTheModuleInCanonicalOrder()
    {
        // Three definitions on one line with one name, ids x, x, x~1 (canonical order: by id last). Making them
        // unique renames the second to x~2, which sorts after x~1: the module must be put back in order, also on
        // the path that trusts freshly parsed modules to be canonical (no cache).
        using var tree = new TempTree();
        tree.Write("a.dup", "anything\n");
        var pipeline = new StructPipeline(new ParserRegistry([new DuplicateIdParser()]));
        var request = new PipelineRequest { Root = tree.Root, Options = new LlmStructOptions { Project = new ProjectOptions { Name = "t" } } };

        var document = (await pipeline.RunAsync(request)).Document;

        var ids = document.Modules[0].Definitions.Select(d => d.Id).ToArray();
        Assert.Equal(["a.dup#x", "a.dup#x~1", "a.dup#x~2"], ids);
        Assert.Equal(StructJson.Serialize(StructCanonicalizer.Canonicalize(document)), StructJson.Serialize(document));
    }

    private sealed class DuplicateIdParser : ILanguageParser
    {
        public string Language => "dup";

        public IReadOnlyList<string> Extensions { get; } = [".dup"];

        public string Version => "1";

        public ParseResult Parse(SourceFile file, CancellationToken cancellationToken = default)
        {
            Definition Make(string id) => new() { Id = file.Path + "#" + id, Kind = DefinitionKinds.Function, Name = "x", QualifiedName = "x", StartLine = 1, EndLine = 1 };
            return new ParseResult(new ModuleInfo { Path = file.Path, Definitions = [Make("x"), Make("x"), Make("x~1")] }, []);
        }
    }

    [Fact]
    public async Task RepeatedIds_GetSuffixesInSourceOrder_AndUniqueOnesAreUntouched()
    {
        using var tree = new TempTree();
        tree.Write("a.tst", "def f\ndef g\ndef f\nclass C\n def m\n def m\ndef f\n");

        var doc = await PipelineHarness.RunAsync(tree.Root);

        var ids = doc.Modules[0].Definitions.SelectMany(d => d.Children.Select(c => c.Id).Prepend(d.Id)).ToArray();
        Assert.Equal(["a.tst#f", "a.tst#g", "a.tst#f~2", "a.tst#C", "a.tst#C.m", "a.tst#C.m~2", "a.tst#f~3"], ids);
        Assert.Empty(StructValidator.Check(StructJson.Serialize(doc)));
    }

    [Fact]
    public async Task Cancellation_StopsTheRun()
    {
        using var tree = new TempTree();
        tree.Write("a.tst", "def a\n");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            PipelineHarness.Create().RunAsync(new PipelineRequest { Root = tree.Root }, null, cts.Token));
    }

    private static bool TryMkfifo(string path)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true });
            process!.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private sealed class SyncProgress(Action<PipelineProgress> action) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => action(value);
    }
}
