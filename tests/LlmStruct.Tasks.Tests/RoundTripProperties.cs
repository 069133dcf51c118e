using System.Collections.Immutable;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Tasks.Service;
using LlmStruct.Tasks.Store;
using LlmStruct.Tasks.Toml;

namespace LlmStruct.Tasks.Tests;

/// <summary>
/// toml → store → struct.json → toml is the identity: random task sets written as llmstruct.toml (with comments and
/// hand layout), read, put in a real SQLite store, written into struct.json and read back, then written into the
/// original file: the same bytes, comments included; and into an empty file: the same tasks.
/// </summary>
public class RoundTripProperties
{
    private static readonly string[] Words = ["parse", "ship", "fix", "api", "ünïcode", "quote\"d", "back\\slash", "tab\there", "emoji 🚀", "#hash", "'single'", "x"];

    private static Gen<string> Text =>
        Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements(Words), n)).Select(parts => string.Join(' ', parts));

    private static Gen<ImmutableArray<string>> List(Gen<string> item) =>
        Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(item, n)).Select(items => items.Distinct(StringComparer.Ordinal).ToImmutableArray());

    private static Gen<string?> Maybe(Gen<string> value) =>
        Gen.Frequency((1, Gen.Constant<string?>(null)), (2, value.Select(v => (string?)v)));

    private static Gen<ProjectTask[]> Tasks =>
        from count in Gen.Choose(0, 6)
        from drafts in Gen.ArrayOf(
            from title in Text
            from description in Maybe(Gen.Elements("plain", "two\nlines", "ends with quote'", "has ''' inside\nsee", "\nleading break", "crlf\r\nline"))
            from status in Gen.Elements(Enum.GetValues<ProjectTaskStatus>())
            from priority in Maybe(Gen.Elements("high", "low", "P1"))
            from assignees in List(Gen.Elements("@kim", "@lee", "@kpblcaoo"))
            from labels in List(Text)
            from milestone in Maybe(Text)
            from files in List(Gen.Elements("app/main.py", "docs/x.md", "src/a b.py"))
            from symbols in List(Gen.Elements("app.main.run", "src/a.py#Foo.bar", "Foo"))
            from github in Gen.Frequency((2, Gen.Constant<GitHubIssueRef?>(null)), (1, Gen.Choose(1, 5000).Select(n => (GitHubIssueRef?)new GitHubIssueRef { Number = n, Url = n % 2 == 0 ? $"https://github.com/o/r/issues/{n}" : null })))
            from gitlab in Gen.Frequency((2, Gen.Constant<GitLabIssueRef?>(null)), (1, Gen.Choose(1, 5000).Select(n => (GitLabIssueRef?)new GitLabIssueRef { Iid = n })))
            select new ProjectTask
            {
                Title = title, Description = description, Status = status, Priority = priority, Assignees = assignees, Labels = labels,
                Milestone = milestone, Files = files, Symbols = symbols, GitHub = github, GitLab = gitlab,
            }, count)
        from deps in Gen.ArrayOf(Gen.Choose(0, 5), count)
        select Number(drafts, deps);

    // Ids TSK-001…; each task may depend on earlier ones only (no cycles).
    private static ProjectTask[] Number(ProjectTask[] drafts, int[] deps) =>
        [.. drafts.Select((t, i) => t with
        {
            Id = $"TSK-{i + 1:D3}",
            DependsOn = i == 0 || deps[i] == 0 ? [] : [$"TSK-{deps[i] % i + 1:D3}"],
        })];

    /// <summary>The tasks as a user might write them: comments, blank lines, both forms, keys in varying order.</summary>
    private static string Render(ProjectTask[] tasks, bool tableForm, int seed)
    {
        var random = new Random(seed);
        var s = new StringBuilder("# llmstruct.toml\n[project]\nname = \"demo\"  # project name\n");
        var empty = TaskTomlReader.Read("");
        foreach (var t in tasks)
        {
            s.Append(random.Next(2) == 0 ? "\n# task " + t.Id + "\n" : "\n");
            s.Append(tableForm ? $"[tasks.{t.Id}]\n" : "[[tasks]]\n");
            var keys = TaskTomlReader.Keys.Where(k => !(tableForm && k == "id")).ToList();
            // The writer's own format for the values (they are what it compares against); order shuffled, comments sprinkled.
            keys = [.. keys.OrderBy(_ => random.Next())];
            foreach (var key in keys)
            {
                if (TaskTomlWriter.Format(key, t) is { } value)
                {
                    s.Append(random.Next(4) == 0 ? "  " : "").Append(key).Append(random.Next(3) == 0 ? "   =  " : " = ").Append(value);
                    s.Append(random.Next(3) == 0 ? "   # about " + key : "").Append('\n');
                }
            }
        }
        s.Append("\n# end of file\n");
        return s.ToString();
    }

    [Property(MaxTest = 60)]
    public Property Toml_store_struct_json_toml_is_the_identity() =>
        Prop.ForAll(Tasks.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (tasks, seed) =>
        {
            var original = Render(tasks, tableForm: seed % 2 == 0, seed);
            var file = TaskTomlReader.Read(original);
            // toml → store (a real SQLite file)
            using var project = new TempProject();
            ImmutableArray<ProjectTask> stored;
            using (var store = TaskStore.OpenAsync(project.Db).GetAwaiter().GetResult())
            {
                store.ApplyAsync(file.Tasks, TaskEventSource.Toml, removeMissing: true).GetAwaiter().GetResult();
                stored = [.. store.GetAllAsync().GetAwaiter().GetResult()];
            }
            // store → struct.json bytes → model
            var links = new TaskLinks(new StructDocument(), stored.Select(t => t.Id));
            var document = new StructDocument { Tasks = StructCanonicalizer.CanonicalizeTasks([.. stored.Select(t => TaskItems.ToItem(t, links))]) };
            var read = StructJson.Deserialize(StructJson.Serialize(document));
            var back = read.Tasks.Select(TaskItems.FromItem).ToList();
            // struct.json → toml
            var rewritten = TaskTomlWriter.Apply(file, back);
            var fresh = TaskTomlReader.Read(TaskTomlWriter.Apply(TaskTomlReader.Read(""), back)).Tasks;
            bool same = fresh.Length == tasks.Length && fresh.Zip(tasks.OrderBy(t => t.Id, StringComparer.Ordinal)).All(p => SameAsSets(p.First, p.Second));
            return (rewritten == original).Label("same bytes:\n" + original + "\n----\n" + rewritten)
                .And(same.Label("same tasks from an empty file"))
                .And(original.Contains("# end of file", StringComparison.Ordinal) && rewritten.Contains("# project name", StringComparison.Ordinal));
        });

    private static bool SameAsSets(ProjectTask a, ProjectTask b)
    {
        static ImmutableArray<string> S(ImmutableArray<string> x) => [.. x.Order(StringComparer.Ordinal)];
        return (a with { Assignees = S(a.Assignees), Labels = S(a.Labels), DependsOn = S(a.DependsOn), Files = S(a.Files), Symbols = S(a.Symbols) })
            .ContentEquals(b with { Assignees = S(b.Assignees), Labels = S(b.Labels), DependsOn = S(b.DependsOn), Files = S(b.Files), Symbols = S(b.Symbols) });
    }
}
