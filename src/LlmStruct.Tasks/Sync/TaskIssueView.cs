using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;

namespace LlmStruct.Tasks.Sync;

/// <summary>
/// The part of a task an issue shows, in a form both sides can be compared in: title, description (as the issue body
/// holds it, marker removed), labels and assignees as sorted sets (assignees without <c>@</c>), open or closed.
/// Its <see cref="Hash"/> is what the store remembers as the last synced state.
/// </summary>
internal sealed record TaskIssueView(string Title, string? Description, ImmutableArray<string> Labels, ImmutableArray<string> Assignees, bool IsOpen)
{
    public static TaskIssueView Of(ProjectTask task) => new(
        task.Title,
        TaskMarker.Description(TaskMarker.Body(task.Id, task.Description)),
        Sorted(task.Labels),
        Sorted(task.Assignees.Select(a => a.TrimStart('@'))),
        IsOpenStatus(task.Status));

    public static TaskIssueView Of(TrackerIssue issue) => new(
        issue.Title, TaskMarker.Description(issue.Body), Sorted(issue.Labels), Sorted(issue.Assignees), issue.IsOpen);

    /// <summary>Open on the tracker: <c>open</c>, <c>in_progress</c>, <c>blocked</c>; closed: <c>done</c>, <c>cancelled</c>.</summary>
    public static bool IsOpenStatus(ProjectTaskStatus status) => status is not (ProjectTaskStatus.Done or ProjectTaskStatus.Cancelled);

    public IssueDraft Draft(string taskId) => new()
    {
        Title = Title, Body = TaskMarker.Body(taskId, Description), Labels = Labels, Assignees = Assignees, IsOpen = IsOpen,
    };

    public bool SameText(TaskIssueView other) =>
        Title == other.Title && Description == other.Description && Labels.SequenceEqual(other.Labels) && Assignees.SequenceEqual(other.Assignees);

    public bool SameAs(TaskIssueView other) => SameText(other) && IsOpen == other.IsOpen;

    /// <summary>The fields that differ from <paramref name="other"/>, in words.</summary>
    public IEnumerable<string> Differences(TaskIssueView other)
    {
        if (Title != other.Title) yield return "title";
        if (Description != other.Description) yield return "description";
        if (!Labels.SequenceEqual(other.Labels)) yield return "labels";
        if (!Assignees.SequenceEqual(other.Assignees)) yield return "assignees";
        if (IsOpen != other.IsOpen) yield return IsOpen ? "state open" : "state closed";
    }

    public string Hash()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStringValue(Title);
            w.WriteStringValue(Description);
            foreach (var list in (ReadOnlySpan<ImmutableArray<string>>)[Labels, Assignees])
            {
                w.WriteStartArray();
                foreach (var item in list)
                {
                    w.WriteStringValue(item);
                }
                w.WriteEndArray();
            }
            w.WriteBooleanValue(IsOpen);
            w.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    /// <summary>
    /// <paramref name="task"/> with this view's content: title and description; labels and assignees kept in the
    /// task's order where they stay, new ones appended; a closed issue makes an open task <c>done</c>, a reopened one
    /// makes a done or cancelled task <c>open</c>.
    /// </summary>
    public ProjectTask ApplyTo(ProjectTask task)
    {
        var status = task.Status;
        if (!IsOpen && IsOpenStatus(status))
        {
            status = ProjectTaskStatus.Done;
        }
        else if (IsOpen && !IsOpenStatus(status))
        {
            status = ProjectTaskStatus.Open;
        }
        var assignees = task.Assignees.Select(a => a.TrimStart('@')).ToImmutableArray();
        return task with
        {
            Title = Title,
            Description = Description,
            Status = status,
            Labels = KeepOrder(task.Labels, Labels),
            Assignees = KeepOrder(assignees, Assignees).Select(a => "@" + a).ToImmutableArray(),
        };
    }

    private static ImmutableArray<string> KeepOrder(ImmutableArray<string> current, ImmutableArray<string> wanted)
    {
        var set = wanted.ToHashSet(StringComparer.Ordinal);
        var kept = current.Where(set.Contains).Distinct(StringComparer.Ordinal).ToList();
        kept.AddRange(wanted.Where(w => !kept.Contains(w, StringComparer.Ordinal)));
        return [.. kept];
    }

    private static ImmutableArray<string> Sorted(IEnumerable<string> items) =>
        [.. items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
