using LlmStruct.Tasks.Toml;

namespace LlmStruct.Tasks.Tests.Toml;

public class TaskTomlWriterTests
{
    private const string Sample = """
        # Project settings
        [project]
        name = "demo"   # the name

        # ---- tasks ----
        [[tasks]]
        id = "TSK-001"          # first
        title = "Write the parser"
          status   =   'open'   # aligned by hand
        labels = ["b", "a"]

        # the second one
        [[tasks]]
        id = "TSK-002"
        title = "Ship"
        assignee = "@kim"
        """;

    [Fact]
    public void Unchanged_tasks_give_the_same_bytes()
    {
        var file = TaskTomlReader.Read(Sample);
        Assert.Equal(Sample, TaskTomlWriter.Apply(file, file.Tasks));
        // Lists compare as sets: the same labels in another order change nothing.
        Assert.Equal(Sample, TaskTomlWriter.Apply(file, [file.Tasks[0] with { Labels = ["a", "b"] }, file.Tasks[1]]));
    }

    [Fact]
    public void A_changed_value_is_replaced_in_place_keeping_comments_and_layout()
    {
        var file = TaskTomlReader.Read(Sample);
        var text = TaskTomlWriter.Apply(file, [file.Tasks[0] with { Status = ProjectTaskStatus.Done, Priority = "high" }, file.Tasks[1]]);
        Assert.Equal(Sample
            .Replace("  status   =   'open'   # aligned by hand\n", "  status   =   \"done\"   # aligned by hand\n", StringComparison.Ordinal)
            .Replace("labels = [\"b\", \"a\"]\n", "labels = [\"b\", \"a\"]\npriority = \"high\"\n", StringComparison.Ordinal), text);
        Assert.Equal(ProjectTaskStatus.Done, TaskTomlReader.Read(text).Tasks[0].Status);
    }

    [Fact]
    public void The_singular_assignee_becomes_assignees_when_it_changes_and_the_last_line_gets_its_break()
    {
        var file = TaskTomlReader.Read(Sample);
        var text = TaskTomlWriter.Apply(file, [file.Tasks[0], file.Tasks[1] with { Assignees = ["@kim", "@lee"], Milestone = "v1" }]);
        Assert.EndsWith("assignees = [\"@kim\", \"@lee\"]\nmilestone = \"v1\"\n", text, StringComparison.Ordinal);
        Assert.Equal(["@kim", "@lee"], TaskTomlReader.Read(text).Tasks[1].Assignees.ToArray());
    }

    [Fact]
    public void A_value_set_to_nothing_loses_its_line_and_a_removed_task_its_table()
    {
        var file = TaskTomlReader.Read(Sample);
        var text = TaskTomlWriter.Apply(file, [file.Tasks[0] with { Labels = [] }]);
        Assert.DoesNotContain("labels", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TSK-002", text, StringComparison.Ordinal);
        Assert.Contains("# the second one", text, StringComparison.Ordinal);
        Assert.Single(TaskTomlReader.Read(text).Tasks);
    }

    [Theory]
    [InlineData(TaskTableForm.Array, "[project]\nname = \"x\"\n\n[[tasks]]\nid = \"A-1\"\ntitle = \"a\"\n", "\n[[tasks]]\nid = \"A-2\"\ntitle = \"New \\\"one\\\"\"\nstatus = \"blocked\"\n")]
    [InlineData(TaskTableForm.Table, "[tasks.A-1]\ntitle = \"a\"", "\n\n[tasks.A-2]\ntitle = \"New \\\"one\\\"\"\nstatus = \"blocked\"\n")]
    public void A_new_task_is_appended_in_the_files_form(TaskTableForm form, string original, string appended)
    {
        var file = TaskTomlReader.Read(original);
        Assert.Equal(form, file.Form);
        var text = TaskTomlWriter.Apply(file, [.. file.Tasks, new ProjectTask { Id = "A-2", Title = "New \"one\"", Status = ProjectTaskStatus.Blocked }]);
        Assert.Equal(original + appended, text);
        Assert.Equal(["A-1", "A-2"], TaskTomlReader.Read(text).Tasks.Select(t => t.Id));
    }

    [Fact]
    public void An_empty_file_gets_its_first_task_without_a_leading_blank_line()
    {
        var text = TaskTomlWriter.Apply(TaskTomlReader.Read(""), [new ProjectTask { Id = "A-1", Title = "a", Description = "two\nlines" }]);
        Assert.Equal("[[tasks]]\nid = \"A-1\"\ntitle = \"a\"\nstatus = \"open\"\ndescription = '''\ntwo\nlines'''\n", text);
        Assert.Equal("two\nlines", TaskTomlReader.Read(text).Tasks[0].Description);
    }
}
