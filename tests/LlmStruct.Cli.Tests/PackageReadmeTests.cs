using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace LlmStruct.Cli.Tests;

/// <summary>
/// The package readmes (src/*/README.md, packed by Directory.Build.targets with their relative links made absolute):
/// every project under src/ has one, every link leads somewhere, and every API name a library's readme uses exists in
/// that library or the LlmStruct packages it depends on — never another package's API, never a name that is gone.
/// </summary>
public sealed partial class PackageReadmeTests
{
    private static readonly string Src = Path.Combine(CliRunner.RepoRoot, "src");

    /// <summary>The projects under src/ (each folder with one project file).</summary>
    private static List<string> ProjectNames() =>
        [.. Directory.GetDirectories(Src).Where(d => Directory.GetFiles(d, "*.csproj").Length == 1).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static TheoryData<string> Projects() => new(ProjectNames());

    [Fact]
    public void Every_project_under_src_is_found()
    {
        Assert.Contains("LlmStruct.Core", ProjectNames());
        Assert.True(ProjectNames().Count >= 8);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Readme_exists_and_its_links_are_absolute_or_lead_to_files_of_the_repository(string project)
    {
        var readme = ReadmePath(project);
        Assert.True(File.Exists(readme), $"{project} has no README.md: every package needs one (it becomes the package readme)");
        var text = File.ReadAllText(readme);
        Assert.StartsWith($"# {project}", text, StringComparison.Ordinal);
        var links = LinkTarget().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            if (Regex.IsMatch(link, "^[A-Za-z][A-Za-z0-9+.-]*:"))
            {
                Assert.Matches("^https://", link);
                continue;
            }
            var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(readme)!, link.Split('#')[0]));
            Assert.True(file.StartsWith(CliRunner.RepoRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal), $"{project}: {link} leaves the repository");
            Assert.True(File.Exists(file), $"{project}: {link} leads to no file");
        }
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Readme_names_only_its_own_API_and_the_API_of_the_packages_it_depends_on(string project)
    {
        if (IsTool(project))
        {
            return; // the tool's readme shows commands; it has no API
        }
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dependency in LlmStructDependencies(project).Prepend(project))
        {
            own.UnionWith(PublicNames(AssemblyPath(dependency)));
        }
        var others = ProjectNames().Where(p => p != project && !IsTool(p) && !LlmStructDependencies(project).Contains(p))
            .ToDictionary(p => p, p => PublicNames(AssemblyPath(p)));

        var problems = new List<string>();
        foreach (var name in ApiNames(File.ReadAllText(ReadmePath(project))).Distinct(StringComparer.Ordinal))
        {
            if (own.Contains(name))
            {
                continue;
            }
            var owner = others.FirstOrDefault(o => o.Value.Contains(name)).Key;
            if (!ExternalNames.Value.Contains(name))
            {
                problems.Add(owner is null ? $"{name}: exists in no assembly" : $"{name}: belongs to {owner}, not to {project} or its dependencies");
            }
        }
        Assert.True(problems.Count == 0, $"{project}/README.md: " + string.Join("; ", problems));
    }

    [Fact]
    public void The_check_finds_another_packages_API_and_names_that_do_not_exist()
    {
        var names = ApiNames("Use `services.AddLlmStruct().AddPythonParser()` or `StructSchema.Text`.\n```csharp\nvar x = new NoSuchThing(\"Ignored\"); // Comment\n```\n").ToList();
        Assert.Equal(["NoSuchThing", "AddLlmStruct", "AddPythonParser", "StructSchema", "Text"], names);
        Assert.Contains("AddPythonParser", PublicNames(AssemblyPath("LlmStruct.Parsers.Python")));
        Assert.DoesNotContain("AddPythonParser", PublicNames(AssemblyPath("LlmStruct.Core")));
        Assert.DoesNotContain("NoSuchThing", ExternalNames.Value);
    }

    /// <summary>
    /// Identifiers that name API: every capitalised identifier in C# blocks (strings and comments removed), and inline
    /// code that is an identifier or a member chain (<c>StructSchema.Text</c>, <c>AddLlmStruct()</c>); package and
    /// namespace names (<c>LlmStruct.…</c>, <c>Microsoft.…</c>) are not API.
    /// </summary>
    private static IEnumerable<string> ApiNames(string markdown)
    {
        foreach (Match block in CSharpBlock().Matches(markdown))
        {
            var code = Regex.Replace(block.Groups[1].Value, "\\$?@?\"(?:[^\"\\\\\\n]|\\\\.)*\"|//[^\\n]*", " ");
            foreach (Match id in Regex.Matches(code, "\\b[A-Z][A-Za-z0-9_]*\\b"))
            {
                yield return id.Value;
            }
        }
        var prose = CSharpBlock().Replace(FencedBlock().Replace(markdown, " "), " ");
        foreach (Match span in Regex.Matches(prose, "`([^`\\n]+)`"))
        {
            var value = span.Groups[1].Value;
            if (value.StartsWith("LlmStruct.", StringComparison.Ordinal) || value.StartsWith("Microsoft.", StringComparison.Ordinal)
                || !Regex.IsMatch(value, "^[.A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*(\\(.*\\)|<[^>]*>)?$"))
            {
                continue;
            }
            foreach (Match id in Regex.Matches(Regex.Replace(value, "\\([^()]*\\)", ""), "\\b[A-Z][A-Za-z0-9_]*\\b"))
            {
                yield return id.Value;
            }
        }
    }

    private static bool IsTool(string project) =>
        File.ReadAllText(Path.Combine(Src, project, project + ".csproj")).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal);

    private static string ReadmePath(string project) => Path.Combine(Src, project, "README.md");

    /// <summary>The built library: beside these tests (the CLI references every package), else in its own bin folder.</summary>
    private static string AssemblyPath(string project)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, project + ".dll");
        if (File.Exists(beside))
        {
            return beside;
        }
        var built = Directory.Exists(Path.Combine(Src, project, "bin"))
            ? Directory.GetFiles(Path.Combine(Src, project, "bin"), project + ".dll", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        return built ?? throw new InvalidOperationException($"{project}.dll is not built: reference the package from the CLI or build it first");
    }

    /// <summary>The LlmStruct projects <paramref name="project"/> references, directly or through another.</summary>
    private static HashSet<string> LlmStructDependencies(string project)
    {
        return Walk(project, new HashSet<string>(StringComparer.Ordinal));

        static HashSet<string> Walk(string current, HashSet<string> seen)
        {
            var csproj = File.ReadAllText(Path.Combine(Src, current, current + ".csproj"));
            foreach (Match reference in Regex.Matches(csproj, "<ProjectReference Include=\"[./\\\\]*(LlmStruct\\.[A-Za-z.]+?)[/\\\\]"))
            {
                if (seen.Add(reference.Groups[1].Value))
                {
                    Walk(reference.Groups[1].Value, seen);
                }
            }
            return seen;
        }
    }

    /// <summary>Public type and member names of every assembly of the runtime and beside these tests, LlmStruct's excepted.</summary>
    private static readonly Lazy<HashSet<string>> ExternalNames = new(() =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var files = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll").Where(f => !Path.GetFileName(f).StartsWith("LlmStruct.", StringComparison.Ordinal)
                && Path.GetFileName(f) != "llmstruct.dll"));
        foreach (var file in files)
        {
            names.UnionWith(PublicNames(file));
        }
        return names;
    });

    /// <summary>Names of the public types and their public members, read from metadata (nothing is loaded).</summary>
    private static HashSet<string> PublicNames(string assemblyPath)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            return names;
        }
        var md = pe.GetMetadataReader();
        foreach (var handle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(handle);
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility is not (TypeAttributes.Public or TypeAttributes.NestedPublic))
            {
                continue;
            }
            names.Add(md.GetString(type.Name).Split('`')[0]);
            foreach (var m in type.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                if ((method.Attributes & MethodAttributes.MemberAccessMask) is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem)
                {
                    var name = md.GetString(method.Name);
                    names.Add(name.StartsWith("get_", StringComparison.Ordinal) || name.StartsWith("set_", StringComparison.Ordinal) ? name[4..] : name);
                }
            }
            foreach (var f in type.GetFields())
            {
                var field = md.GetFieldDefinition(f);
                if ((field.Attributes & FieldAttributes.FieldAccessMask) is FieldAttributes.Public or FieldAttributes.Family)
                {
                    names.Add(md.GetString(field.Name));
                }
            }
        }
        return names;
    }

    [GeneratedRegex("\\]\\(([^)\\s]+)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex("```(?!csharp)[a-z]*\\n.*?```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
