using System.Text;
using LlmStruct.Ci.Git;
using LlmStruct.Ci.Report;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Ci.Tests.Report;

public sealed class ChangeReporterTests
{
    // A base with callers across files, then a head that changes a signature and a docstring, renames a file, deletes
    // one whose function another file still calls, breaks one file's syntax, fixes another's, and changes imports.
    private static (string Base, string Head) Build(GitRepo repo)
    {
        repo.Write("pkg/__init__.py", "");
        repo.Write("pkg/core.py", """"
            def area(w, h):
                """Area of a rectangle."""
                return w * h


            class Shape:
                def size(self):
                    return area(1, 2)
            """");
        repo.Write("pkg/util.py", """
            from pkg.core import area


            def double(x):
                return area(x, 2)
            """);
        repo.Write("pkg/old_name.py", """
            def helper():
                return 1
            """);
        repo.Write("pkg/shapes.py", """
            def perimeter(w, h):
                total = w + h
                total = total * 2
                return total


            def diagonal(w, h):
                return (w * w + h * h) ** 0.5
            """);
        repo.Write("pkg/gone.py", """
            def obsolete():
                return 0
            """);
        repo.Write("pkg/main.py", """
            from pkg.gone import obsolete


            def run():
                return obsolete()
            """);
        repo.Write("pkg/fragile.py", """
            def ok():
                return 1
            """);
        repo.Write("pkg/broken.py", "def bad(:\n    return 2\n");
        repo.Write("README.md", "a readme the report ignores\n");
        repo.Write("llmstruct.toml", """
            [[tasks]]
            id = "TSK-001"
            title = "Scale areas"
            files = ["pkg/core.py"]

            [[tasks]]
            id = "TSK-002"
            title = "Unrelated work"
            files = ["docs/"]

            [[tasks]]
            id = "TSK-003"
            title = "Keep obsolete working"
            symbols = ["pkg/gone.py#obsolete"]
            """);
        var baseCommit = repo.Commit("base");
        repo.Git("tag", "base");

        repo.Write("pkg/core.py", """"
            import math


            def area(w, h, scale=1):
                """Area of a rectangle, scaled."""
                return w * h * scale


            class Shape:
                def size(self):
                    return area(1, 2)
            """");
        repo.Git("mv", "pkg/old_name.py", "pkg/new_name.py");
        repo.Git("rm", "-q", "pkg/gone.py");
        repo.Git("mv", "pkg/shapes.py", "pkg/geometry.py");
        repo.Write("pkg/geometry.py", """"
            def perimeter(w, h):
                """Twice the sum of the sides."""
                total = w + h
                total = total * 2
                return total


            def diagonal(w, h):
                return (w * w + h * h) ** 0.5
            """");
        repo.Write("pkg/fragile.py", "def ok(:\n    return 1\n");
        repo.Write("pkg/broken.py", "def bad():\n    return 2\n");
        repo.Write("README.md", "a readme the report still ignores\n");
        repo.Commit("head");
        repo.Git("tag", "head");
        return (baseCommit, repo.Git("rev-parse", "head").Trim());
    }

    private const string ExpectedMarkdown = """
        ## llmstruct: structural change

        `base` (BASE) → `head` (HEAD)

        **Files** 6 · **definitions** +1 −2 ~5 · **parse errors** 1 new, 1 fixed · **callers affected** 2 · **tasks** 2

        ### Files (6)

        - modified `pkg/broken.py`
        - modified `pkg/core.py`
        - modified `pkg/fragile.py`
        - renamed `pkg/shapes.py` → `pkg/geometry.py`
        - deleted `pkg/gone.py`
        - renamed `pkg/old_name.py` → `pkg/new_name.py`

        ### Definitions added (1)

        - `pkg/broken.py#bad` (function) `bad()`

        ### Definitions removed (2)

        - `pkg/fragile.py#ok` (function) `ok()`
        - `pkg/gone.py#obsolete` (function) `obsolete()`

        ### Definitions changed (5)

        - `pkg/core.py#Shape` (class): moved
        - `pkg/core.py#Shape.size` (method): moved
        - `pkg/core.py#area` (function): signature, docstring, moved — `area(w, h)` → `area(w, h, scale=1)`
        - `pkg/geometry.py#diagonal` (function): moved (was `pkg/shapes.py#diagonal`)
        - `pkg/geometry.py#perimeter` (function): docstring, body (was `pkg/shapes.py#perimeter`)

        ### Imports (1)

        - `pkg/core.py`: + `math`

        ### New parse errors (1)

        - `pkg/fragile.py:1:8` invalid syntax

        ### Fixed parse errors (1)

        - `pkg/broken.py:1:9` invalid syntax

        ### Impact: callers in unchanged files (2)

        - `pkg/core.py#area` (signature, docstring, moved) is called by `pkg/util.py#double`
        - `pkg/gone.py#obsolete` (removed) is called by `pkg/main.py#run`

        ### Impact: tasks (2)

        - TSK-001 (open) Scale areas — `pkg/core.py`
        - TSK-003 (open) Keep obsolete working — `pkg/gone.py#obsolete`

        """;

    [Fact]
    public async Task Report_of_a_real_repository_is_the_expected_text_and_stable()
    {
        using var repo = new GitRepo();
        var (baseCommit, headCommit) = Build(repo);
        using var services = Services.Create();
        var reporter = services.GetRequiredService<ChangeReporter>();

        var report = await reporter.CreateAsync(repo.Root, "base", "head");
        var markdown = ReportWriter.Markdown(report);
        var json = Encoding.UTF8.GetString(ReportWriter.Json(report));

        var expected = ExpectedMarkdown.Replace("BASE", baseCommit[..12]).Replace("HEAD", headCommit[..12]);
        Assert.Equal(expected, markdown);

        // Byte-stable: a second report over the same repository (fresh parses) gives the same bytes, in both formats.
        var again = await reporter.CreateAsync(repo.Root, baseCommit, headCommit);
        Assert.Equal(expected.Replace("`base`", "`" + baseCommit + "`").Replace("`head`", "`" + headCommit + "`"), ReportWriter.Markdown(again));
        Assert.Equal(json, Encoding.UTF8.GetString(ReportWriter.Json(again with { Base = report.Base, Head = report.Head })));
    }

    [Fact]
    public async Task Json_report_is_the_expected_text_and_the_work_tree_is_not_read()
    {
        using var repo = new GitRepo();
        repo.Write("lib.py", "def f(a):\n    return a\n");
        repo.Write("use.py", "from lib import f\n\n\ndef g():\n    return f(1)\n");
        repo.Commit("one");
        repo.Write("lib.py", "def f(a, b):\n    return a\n");
        repo.Commit("two");
        // Uncommitted edits and an untracked file: the report reads git's objects only.
        repo.Write("lib.py", "def f(:\n");
        repo.Write("extra.py", "def h():\n    pass\n");
        using var services = Services.Create();

        var report = await services.GetRequiredService<ChangeReporter>().CreateAsync(repo.Root, "HEAD~1", "HEAD");

        var json = Encoding.UTF8.GetString(ReportWriter.Json(report, budget: 5));
        var expected = """
            {
              "base": "HEAD~1",
              "base_commit": "BASE",
              "head": "HEAD",
              "head_commit": "HEAD_COMMIT",
              "budget": 5,
              "files": {
                "count": 1,
                "items": [
                  {
                    "status": "modified",
                    "path": "lib.py"
                  }
                ]
              },
              "added": {
                "count": 0,
                "items": []
              },
              "removed": {
                "count": 0,
                "items": []
              },
              "changed": {
                "count": 1,
                "items": [
                  {
                    "id": "lib.py#f",
                    "kind": "function",
                    "signature": "f(a, b)",
                    "old_signature": "f(a)",
                    "aspects": [
                      "signature"
                    ]
                  }
                ]
              },
              "imports": {
                "count": 0,
                "items": []
              },
              "new_errors": {
                "count": 0,
                "items": []
              },
              "fixed_errors": {
                "count": 0,
                "items": []
              },
              "callers": {
                "count": 1,
                "items": [
                  {
                    "target": "lib.py#f",
                    "change": "signature",
                    "count": 1,
                    "callers": [
                      "use.py#g"
                    ]
                  }
                ]
              },
              "tasks": {
                "count": 0,
                "items": []
              }
            }

            """.Replace("HEAD_COMMIT", report.Head.Commit).Replace("BASE", report.Base.Commit);
        Assert.Equal(expected, json);
    }

    [Fact]
    public async Task A_huge_change_is_cut_to_the_budget_with_counts()
    {
        using var repo = new GitRepo();
        repo.Write("a.py", "x = 1\n");
        repo.Commit("one");
        repo.Write("a.py", string.Concat(Enumerable.Range(0, 30).Select(i => $"def f{i:00}():\n    pass\n")));
        repo.Commit("two");
        using var services = Services.Create();

        var report = await services.GetRequiredService<ChangeReporter>().CreateAsync(repo.Root, "HEAD~1", "HEAD");
        var markdown = ReportWriter.Markdown(report, budget: 3);

        Assert.Equal(30, report.Added.Length);
        Assert.Contains("### Definitions added (30)\n\n- `a.py#f00` (function) `f00()`\n- `a.py#f01` (function) `f01()`\n- `a.py#f02` (function) `f02()`\n- … and 27 more\n", markdown, StringComparison.Ordinal);
        Assert.Contains("\"count\": 30", Encoding.UTF8.GetString(ReportWriter.Json(report, budget: 3)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_revision_is_a_clear_error()
    {
        using var repo = new GitRepo();
        repo.Write("a.py", "x = 1\n");
        repo.Commit("one");
        using var services = Services.Create();

        var error = await Assert.ThrowsAsync<GitException>(() => services.GetRequiredService<ChangeReporter>().CreateAsync(repo.Root, "no-such-branch", "HEAD"));

        Assert.Equal("'no-such-branch' is not a commit in this repository", error.Message);
    }

    [Fact]
    public async Task The_parse_cache_left_by_parse_gives_the_same_report()
    {
        using var repo = new GitRepo();
        Build(repo);
        using var services = Services.Create();
        var reporter = services.GetRequiredService<ChangeReporter>();
        var without = ReportWriter.Markdown(await reporter.CreateAsync(repo.Root, "base", "head"));

        // parse with its cache over the head's work tree, as the action does before the report.
        using (var cache = LlmStruct.Caching.ParseCache.Open(Path.Combine(repo.Root, ".llmstruct", "cache")))
        {
            await services.GetRequiredService<LlmStruct.Pipeline.StructPipeline>().BuildAsync(
                new LlmStruct.Pipeline.PipelineRequest { Root = repo.Root, Cache = cache }, Path.Combine(repo.Root, "struct.json"));
            Assert.True(cache.LoadedEntries + cache.Misses > 0);
        }
        var with = ReportWriter.Markdown(await reporter.CreateAsync(repo.Root, "base", "head"));

        Assert.Equal(without, with);
    }

    [Fact]
    public async Task A_project_in_a_folder_of_the_repository_is_reported_with_its_own_paths()
    {
        using var repo = new GitRepo();
        repo.Write("proj/lib.py", "def f(a):\n    return a\n");
        repo.Write("other/lib.py", "def g():\n    pass\n");
        repo.Commit("one");
        repo.Write("proj/lib.py", "def f(a, b):\n    return a\n");
        repo.Write("other/lib.py", "def g(x):\n    pass\n");
        repo.Commit("two");
        using var services = Services.Create();

        var report = await services.GetRequiredService<ChangeReporter>().CreateAsync(Path.Combine(repo.Root, "proj"), "HEAD~1", "HEAD");

        var changed = Assert.Single(report.Changed);
        Assert.Equal("lib.py#f", changed.Id);
        Assert.Equal([new ChangedFile("modified", "lib.py", null)], report.Files.ToArray());
    }

    [Fact]
    public void A_blob_whose_content_the_cache_holds_is_taken_from_it_and_another_is_parsed()
    {
        using var dir = new GitRepo(init: false);
        using var services = Services.Create();
        var pipeline = services.GetRequiredService<LlmStruct.Pipeline.StructPipeline>();
        var redactor = LlmStruct.Security.SourceRedactor.Default;
        var file = LlmStruct.Parsing.SourceFile.FromText("a.py", "def f():\n    pass\n");
        var parsed = pipeline.ParseFile(file, redactor, null);
        // An entry the way a run stores it, marked so a hit is told from a parse.
        var marked = parsed.Module with { Docstring = "from the cache" };
        var parser = services.GetRequiredService<LlmStruct.Parsing.ParserRegistry>().ForPath("a.py")!;
        using (var writing = LlmStruct.Caching.ParseCache.Open(Path.Combine(dir.Root, "cache")))
        {
            writing.Put("a.py", new LlmStruct.Caching.FileStamp(1, 1), parser.Language + "/" + parser.Version + "/" + redactor.KeyFor("a.py"), new LlmStruct.Caching.CachedParse { Module = marked });
            writing.Save();
        }
        using var cache = LlmStruct.Caching.ParseCache.Open(Path.Combine(dir.Root, "cache"));

        var hit = pipeline.ParseFile(file, redactor, cache);
        var miss = pipeline.ParseFile(LlmStruct.Parsing.SourceFile.FromText("a.py", "def g():\n    pass\n"), redactor, cache);

        Assert.Equal("from the cache", hit.Module.Docstring);
        Assert.Null(miss.Module.Docstring);
        Assert.Equal("a.py#g", Assert.Single(miss.Module.Definitions).Id);
    }
}
