using System.Collections.Immutable;
using LlmStruct.Tasks.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Tasks.Sync;

/// <summary>
/// Syncs the tasks of a <see cref="TaskStore"/> with one <see cref="IIssueTracker"/> project.
/// <list type="bullet">
/// <item>A task without an issue gets one; its body ends with <see cref="TaskMarker"/>, so a sync that lost its
/// database (or was stopped between creating an issue and recording it) finds the issue again instead of opening a
/// second one.</item>
/// <item>Conflict rule, by the hash of the issue-visible content recorded at the last sync: a side that changed since
/// then wins; when both changed, the task wins for the text (title, description, labels, assignees) and the tracker
/// for the state (closed → <c>done</c>, reopened → <c>open</c>). Without a record (first link, lost database) both
/// count as changed.</item>
/// <item>Both sides agreeing makes no tracker write, so a second sync writes nothing.</item>
/// <item>The issue's number and address are recorded in the task's reference and in the store's sync state after
/// each write, one task at a time, so a sync stopped halfway keeps what it did.</item>
/// </list>
/// </summary>
public sealed class TaskSyncService
{
    private const int CreateAttempts = 3;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public TaskSyncService(ILogger<TaskSyncService>? logger = null) => _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>
    /// Syncs every task of <paramref name="store"/> with <paramref name="tracker"/>. With <paramref name="dryRun"/>
    /// the tracker is only read and nothing is written anywhere; the report holds the plan.
    /// </summary>
    public async Task<TaskSyncReport> SyncAsync(TaskStore store, IIssueTracker tracker, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tracker);
        var source = tracker.Kind == TaskTracker.GitHub ? TaskEventSource.GitHub : TaskEventSource.GitLab;
        var warnings = new List<string>();
        var issues = await tracker.ListIssuesAsync(cancellationToken).ConfigureAwait(false);
        var byNumber = issues.ToDictionary(i => i.Number);
        var byMarker = IndexByMarker(issues, warnings);
        var states = (await store.GetSyncStatesAsync(tracker.Kind, cancellationToken).ConfigureAwait(false))
            .Where(s => s.Remote == tracker.Remote)
            .ToDictionary(s => s.TaskId, StringComparer.Ordinal);
        var tasks = await store.GetAllAsync(cancellationToken).ConfigureAwait(false);

        var actions = ImmutableArray.CreateBuilder<TaskSyncAction>(tasks.Count);
        var changed = ImmutableArray.CreateBuilder<ProjectTask>();
        int writes = 0;
        foreach (var task in tasks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            states.TryGetValue(task.Id, out var state);
            var issue = await FindIssueAsync(task, tracker, state, byNumber, byMarker, cancellationToken).ConfigureAwait(false);
            var local = TaskIssueView.Of(task);
            if (issue is null)
            {
                actions.Add(new TaskSyncAction { TaskId = task.Id, Kind = TaskSyncActionKind.Create, Changes = ["new issue"] });
                if (dryRun)
                {
                    continue;
                }
                var (created, createWrites) = await CreateAsync(task, local, tracker, warnings, cancellationToken).ConfigureAwait(false);
                writes += createWrites;
                byNumber[created.Number] = created;
                actions[^1] = actions[^1] with { Number = created.Number };
                _logger.LogInformation("{Task}: created issue #{Number} on {Remote}", task.Id, created.Number, tracker.Remote);
                await RecordAsync(store, tracker, source, task, task, created, local, state, changed, warnings, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var remote = TaskIssueView.Of(issue);
            bool markerOk = TaskMarker.Find(issue.Body) == task.Id;
            string? lastHash = state is not null && state.RemoteId == issue.Number ? state.LastSyncedHash : null;
            TaskSyncActionKind kind;
            TaskIssueView target;
            ProjectTask merged;
            if (local.SameAs(remote))
            {
                kind = state is null || lastHash != local.Hash() || RefOf(task, tracker.Kind) != issue.Number ? TaskSyncActionKind.Link : TaskSyncActionKind.Unchanged;
                target = local;
                merged = task;
            }
            else
            {
                bool localChanged = lastHash is null || local.Hash() != lastHash;
                bool remoteChanged = lastHash is null || remote.Hash() != lastHash;
                if (localChanged && !remoteChanged)
                {
                    kind = TaskSyncActionKind.Push;
                    target = local;
                    merged = task;
                }
                else if (!localChanged)
                {
                    kind = TaskSyncActionKind.Pull;
                    target = remote;
                    merged = remote.ApplyTo(task);
                }
                else
                {
                    kind = TaskSyncActionKind.Merge;
                    target = local with { IsOpen = remote.IsOpen };
                    merged = target.ApplyTo(task);
                }
            }
            bool push = !target.SameText(remote) || target.IsOpen != remote.IsOpen || !markerOk;
            var changes = ImmutableArray.CreateBuilder<string>();
            if (push)
            {
                changes.AddRange(target.Differences(remote).Select(d => "issue " + d));
                if (!markerOk)
                {
                    changes.Add("issue marker");
                }
            }
            changes.AddRange(TaskChanges(task, merged));
            if (RefOf(task, tracker.Kind) != issue.Number)
            {
                changes.Add($"task reference #{issue.Number}");
            }
            if (kind == TaskSyncActionKind.Unchanged && changes.Count > 0)
            {
                kind = TaskSyncActionKind.Link;
            }
            actions.Add(new TaskSyncAction { TaskId = task.Id, Kind = kind, Number = issue.Number, Changes = changes.ToImmutable() });
            if (dryRun || (kind == TaskSyncActionKind.Unchanged))
            {
                continue;
            }
            var result = issue;
            if (push)
            {
                result = await tracker.UpdateIssueAsync(issue.Number, target.Draft(task.Id), cancellationToken).ConfigureAwait(false);
                writes++;
                _logger.LogInformation("{Task}: updated issue #{Number} ({Changes})", task.Id, issue.Number, string.Join(", ", changes));
            }
            else if (kind is TaskSyncActionKind.Pull or TaskSyncActionKind.Merge)
            {
                _logger.LogInformation("{Task}: took the changes of issue #{Number} ({Changes})", task.Id, issue.Number, string.Join(", ", changes));
            }
            await RecordAsync(store, tracker, source, task, merged, result, target, state, changed, warnings, cancellationToken).ConfigureAwait(false);
        }
        return new TaskSyncReport
        {
            Tracker = tracker.Kind,
            Remote = tracker.Remote,
            DryRun = dryRun,
            Actions = actions.ToImmutable(),
            TrackerWrites = writes,
            ChangedTasks = changed.ToImmutable(),
            Warnings = [.. warnings],
        };
    }

    private static Dictionary<string, TrackerIssue> IndexByMarker(IReadOnlyList<TrackerIssue> issues, List<string> warnings)
    {
        var byMarker = new Dictionary<string, TrackerIssue>(StringComparer.Ordinal);
        foreach (var issue in issues.OrderBy(i => i.Number))
        {
            if (TaskMarker.Find(issue.Body) is not { } id)
            {
                continue;
            }
            if (byMarker.TryGetValue(id, out var first))
            {
                warnings.Add($"{id}: issues #{first.Number} and #{issue.Number} both carry its marker; #{first.Number} is used");
                continue;
            }
            byMarker[id] = issue;
        }
        return byMarker;
    }

    private static async Task<TrackerIssue?> FindIssueAsync(
        ProjectTask task, IIssueTracker tracker, TaskSyncState? state, Dictionary<long, TrackerIssue> byNumber,
        Dictionary<string, TrackerIssue> byMarker, CancellationToken cancellationToken)
    {
        // The marker first: it is on the tracker itself, so it survives a lost or stale database.
        if (byMarker.TryGetValue(task.Id, out var marked))
        {
            return marked;
        }
        foreach (var number in new[] { state?.RemoteId, RefOf(task, tracker.Kind) })
        {
            if (number is not { } n)
            {
                continue;
            }
            var issue = byNumber.TryGetValue(n, out var listed) ? listed : await tracker.GetIssueAsync(n, cancellationToken).ConfigureAwait(false);
            // An issue that carries another task's marker is not this task's, whatever the reference says.
            if (issue is not null && TaskMarker.Find(issue.Body) is var marker && (marker is null || marker == task.Id))
            {
                return issue;
            }
        }
        return null;
    }

    private async Task<(TrackerIssue Issue, int Writes)> CreateAsync(
        ProjectTask task, TaskIssueView view, IIssueTracker tracker, List<string> warnings, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var created = await tracker.CreateIssueAsync(view.Draft(task.Id), cancellationToken).ConfigureAwait(false);
                return (created, view.IsOpen ? 1 : 2);
            }
            catch (TrackerException ex) when (ex.IsTransient && attempt < CreateAttempts)
            {
                // The tracker may have opened the issue before failing: look for the marker before trying again.
                _logger.LogWarning("{Task}: creating its issue failed ({Status}); looking for it before trying again", task.Id, ex.StatusCode);
                var found = (await tracker.ListIssuesAsync(cancellationToken).ConfigureAwait(false))
                    .Where(i => TaskMarker.Find(i.Body) == task.Id).OrderBy(i => i.Number).FirstOrDefault();
                if (found is not null)
                {
                    warnings.Add($"{task.Id}: the tracker answered the create with {ex.StatusCode} but opened issue #{found.Number}; it is used");
                    return (found, 1);
                }
            }
        }
    }

    private async Task RecordAsync(
        TaskStore store, IIssueTracker tracker, TaskEventSource source, ProjectTask before, ProjectTask merged, TrackerIssue result,
        TaskIssueView intended, TaskSyncState? state, ImmutableArray<ProjectTask>.Builder changed, List<string> warnings, CancellationToken cancellationToken)
    {
        var returned = TaskIssueView.Of(result);
        if (!returned.SameAs(intended))
        {
            // The tracker kept something else (GitHub drops assignees who may not be assigned): the task follows it,
            // so the next sync does not push the same change again.
            warnings.Add($"{before.Id}: issue #{result.Number} kept {string.Join(", ", returned.Differences(intended))} unlike the task; the task follows the issue");
            merged = returned.ApplyTo(merged);
        }
        merged = tracker.Kind == TaskTracker.GitHub
            ? merged with { GitHub = new GitHubIssueRef { Number = result.Number, Url = result.Url } }
            : merged with { GitLab = new GitLabIssueRef { Iid = result.Number, Url = result.Url } };
        if (!merged.ContentEquals(before))
        {
            await store.UpsertAsync(merged, source, cancellationToken).ConfigureAwait(false);
            changed.Add(merged);
        }
        var hash = TaskIssueView.Of(merged).Hash();
        if (state is null || state.Remote != tracker.Remote || state.RemoteId != result.Number || state.RemoteUrl != result.Url
            || state.LastSyncedHash != hash || state.RemoteUpdatedAt != result.UpdatedAt)
        {
            await store.SetSyncStateAsync(new TaskSyncState
            {
                TaskId = before.Id,
                Tracker = tracker.Kind,
                Remote = tracker.Remote,
                RemoteId = result.Number,
                RemoteUrl = result.Url,
                LastSyncedHash = hash,
                RemoteUpdatedAt = result.UpdatedAt,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static IEnumerable<string> TaskChanges(ProjectTask before, ProjectTask after)
    {
        if (before.Title != after.Title) yield return "task title";
        if (before.Description != after.Description) yield return "task description";
        if (before.Status != after.Status) yield return $"task status {TaskStatuses.Name(before.Status)} → {TaskStatuses.Name(after.Status)}";
        if (!before.Labels.SequenceEqual(after.Labels)) yield return "task labels";
        if (!before.Assignees.SequenceEqual(after.Assignees)) yield return "task assignees";
    }

    private static long? RefOf(ProjectTask task, TaskTracker tracker) =>
        tracker == TaskTracker.GitHub ? task.GitHub?.Number : task.GitLab?.Iid;
}
