using LlmStruct.Ci.Git;
using LlmStruct.Ci.Update;
using LlmStruct.Configuration;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Ci.Tests.Update;

public sealed class StructUpdaterTests
{
    private static readonly LlmStructOptions Defaults = new();

    private static GitRepo Project()
    {
        var repo = new GitRepo();
        repo.Write("app.py", "def main():\n    return helper()\n\n\ndef helper():\n    return 1\n");
        repo.Write("notes.txt", "not parsed\n");
        repo.Commit("code");
        return repo;
    }

    private static string Struct(GitRepo repo) => Path.Combine(repo.Root, "struct.json");

    [Fact]
    public async Task Check_matches_the_bytes_parse_writes_and_reports_what_went_stale()
    {
        using var repo = Project();
        using var services = Services.Create();
        await services.GetRequiredService<StructPipeline>().BuildAsync(new PipelineRequest { Root = repo.Root }, Struct(repo));
        var updater = services.GetRequiredService<StructUpdater>();

        var fresh = await updater.CheckAsync(repo.Root, Struct(repo), Defaults);
        repo.Write("app.py", "def main():\n    return 2\n");
        var stale = await updater.CheckAsync(repo.Root, Struct(repo), Defaults);

        Assert.False(fresh.Stale);
        Assert.True(stale.Stale);
        Assert.Equal(["app.py"], stale.Changes!.ModulesChanged);
        Assert.Equal(["app.py#helper"], stale.Changes.DefinitionsRemoved);
        Assert.Equal(["app.py#main"], stale.Changes.DefinitionsChanged);
    }

    [Fact]
    public async Task Update_commits_struct_json_alone_once_and_then_nothing()
    {
        using var repo = Project();
        using var services = Services.Create();
        var updater = services.GetRequiredService<StructUpdater>();
        // Unrelated work in progress: an edit, a staged file and an untracked one, all to stay uncommitted.
        repo.Write("notes.txt", "edited, not committed\n");
        repo.Write("staged.txt", "staged\n");
        repo.Git("add", "staged.txt");
        repo.Write("untracked.txt", "untracked\n");
        var before = repo.Git("rev-parse", "HEAD").Trim();

        var first = await updater.UpdateAsync(repo.Root, Struct(repo), Defaults, commit: new CommitOptions());
        var second = await updater.UpdateAsync(repo.Root, Struct(repo), Defaults, commit: new CommitOptions());

        Assert.True(first.Written);
        Assert.NotNull(first.Commit);
        Assert.Equal("struct.json\n", repo.Git("show", "--name-only", "--format=", first.Commit!));
        Assert.Equal(before, repo.Git("rev-parse", "HEAD~1").Trim());
        Assert.Equal("llmstruct-bot <llmstruct-bot@users.noreply.github.com>|chore: update struct.json [skip ci]",
            repo.Git("log", "-1", "--format=%an <%ae>|%s").Trim());
        Assert.Equal(" M notes.txt\nA  staged.txt\n?? untracked.txt\n", repo.Git("status", "--porcelain"));
        Assert.False(second.Written);
        Assert.Null(second.Commit);
        Assert.Equal(first.Commit, repo.Git("rev-parse", "HEAD").Trim());
    }

    [Fact]
    public async Task A_detached_head_is_refused_with_a_clear_message_and_nothing_written()
    {
        using var repo = Project();
        repo.Git("checkout", "-q", "--detach");
        using var services = Services.Create();

        var error = await Assert.ThrowsAsync<GitException>(() =>
            services.GetRequiredService<StructUpdater>().UpdateAsync(repo.Root, Struct(repo), Defaults, commit: new CommitOptions()));

        Assert.StartsWith("HEAD is detached (no branch is checked out)", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Struct(repo)));
    }

    [Fact]
    public async Task A_shallow_clone_is_refused_with_a_clear_message()
    {
        using var origin = Project();
        origin.Write("app.py", "def main():\n    return 3\n");
        origin.Commit("second");
        using var clone = new GitRepo(init: false);
        var (code, _, stderr) = GitRepo.Run(clone.Root, GitRepo.Environment(0), "clone", "-q", "--depth", "1", "file://" + origin.Root, ".");
        Assert.True(code == 0, stderr);
        using var services = Services.Create();

        var error = await Assert.ThrowsAsync<GitException>(() =>
            services.GetRequiredService<StructUpdater>().UpdateAsync(clone.Root, Struct(clone), Defaults, commit: new CommitOptions()));

        Assert.StartsWith("this is a shallow clone", error.Message, StringComparison.Ordinal);
    }
}
