using LlmStruct.Configuration;
using LlmStruct.Tasks.Toml;

namespace LlmStruct.Tasks.Tests.Toml;

public class TaskTomlReaderTests
{
    [Fact]
    public void Reads_the_array_form_with_every_field()
    {
        var file = TaskTomlReader.Read("""
            [project]
            name = "demo"

            # the backlog
            [[tasks]]
            id = "TSK-011"
            title = "Parse --verbose"   # short
            status = "in_progress"
            description = '''
            Add a flag.
            Then use it.'''
            priority = "high"
            assignees = ["@kpblcaoo"]
            labels = ["cli", "ux"]
            milestone = "v1"
            depends_on = ["TSK-010"]
            files = ["app/main.py"]
            symbols = ["app.main.run"]
            github = { number = 12, url = "https://github.com/o/r/issues/12" }
            gitlab = 7

            [[tasks]]
            id = "TSK-010"
            title = "Base"
            assignee = "@kim"
            """);
        Assert.Equal(TaskTableForm.Array, file.Form);
        var t = file.Tasks[0];
        Assert.Equal(("TSK-011", "Parse --verbose", ProjectTaskStatus.InProgress), (t.Id, t.Title, t.Status));
        Assert.Equal("Add a flag.\nThen use it.", t.Description);
        Assert.Equal(["@kpblcaoo"], t.Assignees.ToArray());
        Assert.Equal(["cli", "ux"], t.Labels.ToArray());
        Assert.Equal(("high", "v1"), (t.Priority, t.Milestone));
        Assert.Equal(["TSK-010"], t.DependsOn.ToArray());
        Assert.Equal(12, t.GitHub!.Number);
        Assert.Equal(7, t.GitLab!.Iid);
        Assert.Equal(["@kim"], file.Tasks[1].Assignees.ToArray());
        Assert.Equal(5, file.LineOf("TSK-011"));
        Assert.Equal(ProjectTaskStatus.Open, file.Tasks[1].Status);
    }

    [Fact]
    public void Reads_the_table_form()
    {
        var file = TaskTomlReader.Read("""
            [tasks.TSK-011]
            title = "One"
            status = "done"

            [tasks."TSK-012"]
            title = "Two"
            """);
        Assert.Equal(TaskTableForm.Table, file.Form);
        Assert.Equal(["TSK-011", "TSK-012"], file.Tasks.Select(t => t.Id));
        Assert.Equal(ProjectTaskStatus.Done, file.Tasks[0].Status);
    }

    [Fact]
    public void A_duplicate_id_names_both_lines()
    {
        var ex = Assert.Throws<ConfigException>(() => TaskTomlReader.Read("""
            [[tasks]]
            id = "TSK-1"
            title = "a"

            [[tasks]]
            id = "TSK-1"
            title = "b"
            """));
        Assert.Equal("llmstruct.toml:5: duplicate task id 'TSK-1' (also at line 1)", ex.Message);
    }

    [Fact]
    public void An_unknown_status_lists_the_allowed_ones()
    {
        var ex = Assert.Throws<ConfigException>(() => TaskTomlReader.Read("[[tasks]]\nid = \"TSK-1\"\ntitle = \"a\"\nstatus = \"wip\"\n"));
        Assert.Equal("llmstruct.toml:4: unknown status 'wip' (allowed: open, in_progress, blocked, done, cancelled)", ex.Message);
    }

    [Fact]
    public void A_cycle_in_depends_on_is_refused_with_its_path()
    {
        var ex = Assert.Throws<ConfigException>(() => TaskTomlReader.Read("""
            [[tasks]]
            id = "TSK-3"
            title = "c"
            depends_on = ["TSK-1"]
            [[tasks]]
            id = "TSK-1"
            title = "a"
            depends_on = ["TSK-2"]
            [[tasks]]
            id = "TSK-2"
            title = "b"
            depends_on = ["TSK-3", "TSK-404"]
            """));
        Assert.Equal("llmstruct.toml:5: depends_on forms a cycle: TSK-1 -> TSK-2 -> TSK-3 -> TSK-1", ex.Message);
        Assert.Throws<ConfigException>(() => TaskTomlReader.Read("[[tasks]]\nid = \"A-1\"\ntitle = \"a\"\ndepends_on = [\"A-1\"]\n"));
    }

    [Theory]
    [InlineData("[[tasks]]\nid = \"TSK-1\"\ntitle = \"a\n", "llmstruct.toml:3:")]
    [InlineData("[[tasks]]\nid = \"TSK-1\"\ntitle = 5\n", "llmstruct.toml:3: 'title' must be a string")]
    [InlineData("[[tasks]]\ntitle = \"no id\"\n", "llmstruct.toml:1: a task needs an id")]
    [InlineData("[[tasks]]\nid = \"TSK-1\"\ntitle = \"a\"\nowner = \"x\"\n", "llmstruct.toml:4: unknown task key 'owner'")]
    [InlineData("[[tasks]]\nid = \"TSK-1\"\ntitle = \"a\"\nlabels = \"x\"\n", "llmstruct.toml:4: 'labels' must be an array of strings")]
    [InlineData("[[tasks]]\nid = \"has space\"\ntitle = \"a\"\n", "llmstruct.toml:1: task id 'has space' is not valid")]
    [InlineData("tasks = [{ id = \"TSK-1\" }]\n", "llmstruct.toml:1: write tasks as [[tasks]]")]
    [InlineData("[[tasks]]\nid = \"TSK-1\"\ntitle = \"a\"\n[tasks.github]\nnumber = 1\n", "llmstruct.toml:4: [tasks.github] is not a task table")]
    public void Bad_input_gives_a_message_with_the_line(string toml, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => TaskTomlReader.Read(toml));
        Assert.StartsWith(expected.Split(": invalid")[0], ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_are_allocated_after_the_largest_number_of_the_prefix()
    {
        Assert.Equal("TSK-012", TaskIds.Next(["TSK-011", "TSK-002", "BUG-99", "TSK-x"], "TSK", 3));
        Assert.Equal("TSK-001", TaskIds.Next([], "TSK", 3));
        Assert.Equal("T-1000", TaskIds.Next(["T-999"], "T", 3));
    }
}
