using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Tasks.Sync;

/// <summary>
/// GitLab issues of one project through the REST v4 API (<c>HttpClient</c>, source-generated JSON), over
/// <see cref="TrackerRetryHandler"/>. Pages are followed with <c>X-Next-Page</c>; assignees are usernames, turned
/// into user ids with <c>GET /users?username=</c>.
/// </summary>
public sealed class GitLabIssueTracker : IIssueTracker, IDisposable
{
    /// <summary>The gitlab.com API.</summary>
    public static readonly Uri DefaultApiUrl = new("https://gitlab.com/api/v4/");

    private readonly TrackerHttp _http;
    private readonly string _project;
    private readonly Dictionary<string, long> _userIds = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A tracker for <paramref name="project"/> (<c>GROUP/PROJECT</c>, subgroups allowed) authenticated with
    /// <paramref name="token"/> (sent as the <c>PRIVATE-TOKEN</c> header only; never logged).
    /// </summary>
    public GitLabIssueTracker(string project, string token, Uri? apiUrl = null, TrackerRetryOptions? retry = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (string.IsNullOrEmpty(project) || !project.Contains('/', StringComparison.Ordinal) || project.StartsWith('/') || project.EndsWith('/'))
        {
            throw new ArgumentException($"'{project}' is not a GitLab project: write it as GROUP/PROJECT", nameof(project));
        }
        Remote = project;
        _project = Uri.EscapeDataString(project);
        _http = new TrackerHttp("GitLab", project, "GITLAB_TOKEN", "project", apiUrl ?? DefaultApiUrl, retry, logger ?? NullLogger.Instance);
        _http.Client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
    }

    /// <inheritdoc />
    public TaskTracker Kind => TaskTracker.GitLab;

    /// <inheritdoc />
    public string Remote { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TrackerIssue>> ListIssuesAsync(CancellationToken cancellationToken = default)
    {
        var issues = new List<TrackerIssue>();
        foreach (var dto in await GetAllPagesAsync($"projects/{_project}/issues?state=all&order_by=created_at&sort=asc", "list issues", GitLabJsonContext.Default.ListGitLabIssueDto, cancellationToken).ConfigureAwait(false))
        {
            issues.Add(ToIssue(dto));
        }
        issues.Sort((a, b) => a.Number.CompareTo(b.Number));
        return issues;
    }

    /// <inheritdoc />
    public async Task<TrackerIssue?> GetIssueAsync(long number, CancellationToken cancellationToken = default)
    {
        using var response = await _http.SendAsync(HttpMethod.Get, IssuePath(number), null, $"get issue #{number}", cancellationToken, allowMissing: true).ConfigureAwait(false);
        return response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone
            ? null
            : ToIssue(await _http.ReadAsync(response, GitLabJsonContext.Default.GitLabIssueDto, $"get issue #{number}", cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<TrackerIssue> CreateIssueAsync(IssueDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var write = await WriteOfAsync(draft, stateEvent: null, cancellationToken).ConfigureAwait(false);
        var created = await WriteIssueAsync(HttpMethod.Post, $"projects/{_project}/issues", write, "create issue", cancellationToken).ConfigureAwait(false);
        return draft.IsOpen ? created : await SetStateAsync(created.Number, open: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<TrackerIssue> UpdateIssueAsync(long number, IssueDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var write = await WriteOfAsync(draft, draft.IsOpen ? "reopen" : "close", cancellationToken).ConfigureAwait(false);
        return await WriteIssueAsync(HttpMethod.Put, IssuePath(number), write, $"update issue #{number}", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<TrackerIssue> SetStateAsync(long number, bool open, CancellationToken cancellationToken = default) =>
        WriteIssueAsync(HttpMethod.Put, IssuePath(number), new GitLabIssueWrite { StateEvent = open ? "reopen" : "close" },
            open ? $"reopen issue #{number}" : $"close issue #{number}", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TrackerComment>> ListCommentsAsync(long number, CancellationToken cancellationToken = default) =>
        ListNotesAsync(IssuePath(number), $"#{number}", cancellationToken);

    /// <inheritdoc />
    public Task<TrackerComment> UpsertCommentAsync(long number, string marker, string body, CancellationToken cancellationToken = default) =>
        UpsertNoteAsync(IssuePath(number), $"#{number}", marker, body, cancellationToken);

    /// <summary>
    /// The merge request variant of <see cref="UpsertCommentAsync"/> (GitLab keeps merge request notes apart from issue
    /// notes): keeps one note carrying <paramref name="marker"/> on merge request <paramref name="iid"/>.
    /// </summary>
    public Task<TrackerComment> UpsertMergeRequestNoteAsync(long iid, string marker, string body, CancellationToken cancellationToken = default) =>
        UpsertNoteAsync($"projects/{_project}/merge_requests/{iid.ToString(CultureInfo.InvariantCulture)}", $"!{iid}", marker, body, cancellationToken);

    private async Task<IReadOnlyList<TrackerComment>> ListNotesAsync(string parentPath, string name, CancellationToken cancellationToken)
    {
        var notes = await GetAllPagesAsync($"{parentPath}/notes?sort=asc&order_by=created_at", $"list comments of {name}", GitLabJsonContext.Default.ListGitLabNoteDto, cancellationToken).ConfigureAwait(false);
        return notes.Where(n => !n.System).Select(n => new TrackerComment { Id = n.Id, Body = n.Body ?? "" }).ToList();
    }

    private async Task<TrackerComment> UpsertNoteAsync(string parentPath, string name, string marker, string body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(marker);
        var text = CommentMarker.Compose(marker, body);
        var existing = CommentMarker.FindIn(await ListNotesAsync(parentPath, name, cancellationToken).ConfigureAwait(false), marker);
        if (existing is not null && existing.Body == text)
        {
            return existing;
        }
        var what = $"write the comment on {name}";
        var note = await _http.SendJsonAsync(
            existing is null ? HttpMethod.Post : HttpMethod.Put,
            existing is null ? $"{parentPath}/notes" : $"{parentPath}/notes/{existing.Id.ToString(CultureInfo.InvariantCulture)}",
            new GitLabNoteWrite { Body = text }, GitLabJsonContext.Default.GitLabNoteWrite, GitLabJsonContext.Default.GitLabNoteDto, what, cancellationToken).ConfigureAwait(false);
        return new TrackerComment { Id = note.Id, Body = note.Body ?? "" };
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private string IssuePath(long number) => $"projects/{_project}/issues/{number.ToString(CultureInfo.InvariantCulture)}";

    private async Task<TrackerIssue> WriteIssueAsync(HttpMethod method, string path, GitLabIssueWrite write, string what, CancellationToken cancellationToken) =>
        ToIssue(await _http.SendJsonAsync(method, path, write, GitLabJsonContext.Default.GitLabIssueWrite, GitLabJsonContext.Default.GitLabIssueDto, what, cancellationToken).ConfigureAwait(false));

    // The body of a create or an edit: the draft's text, labels and assignees (as user ids), and a state event if given.
    private async Task<GitLabIssueWrite> WriteOfAsync(IssueDraft draft, string? stateEvent, CancellationToken cancellationToken) => new()
    {
        Title = draft.Title,
        Description = draft.Body,
        Labels = string.Join(',', draft.Labels),
        AssigneeIds = await UserIdsAsync(draft.Assignees, cancellationToken).ConfigureAwait(false),
        StateEvent = stateEvent,
    };

    private async Task<List<long>> UserIdsAsync(ImmutableArray<string> usernames, CancellationToken cancellationToken)
    {
        var ids = new List<long>(usernames.Length);
        foreach (var username in usernames)
        {
            if (!_userIds.TryGetValue(username, out long id))
            {
                var what = $"find user @{username}";
                using var response = await _http.SendAsync(HttpMethod.Get, $"users?username={Uri.EscapeDataString(username)}", null, what, cancellationToken).ConfigureAwait(false);
                var users = await _http.ReadAsync(response, GitLabJsonContext.Default.ListGitLabUserDto, what, cancellationToken).ConfigureAwait(false);
                var user = users.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase))
                    ?? throw new TrackerException($"GitLab {Remote}: no user @{username} to assign", 404);
                _userIds[username] = id = user.Id;
            }
            ids.Add(id);
        }
        return ids;
    }

    private Task<List<T>> GetAllPagesAsync<T>(string path, string what, JsonTypeInfo<List<T>> type, CancellationToken cancellationToken) =>
        _http.GetAllPagesAsync($"{path}&per_page=100&page=1", what, type, response =>
        {
            // GitLab names the next page number in X-Next-Page (empty on the last page).
            var next = response.Headers.TryGetValues("X-Next-Page", out var values) ? values.FirstOrDefault() : null;
            return string.IsNullOrEmpty(next) ? null : $"{path}&per_page=100&page={Uri.EscapeDataString(next)}";
        }, cancellationToken);

    private static TrackerIssue ToIssue(GitLabIssueDto dto) => new()
    {
        Number = dto.Iid,
        Title = dto.Title ?? "",
        Body = dto.Description ?? "",
        Labels = dto.Labels?.ToImmutableArray() ?? [],
        Assignees = dto.Assignees?.Select(a => a.Username ?? "").Where(a => a.Length > 0).ToImmutableArray() ?? [],
        IsOpen = dto.State != "closed",
        Url = dto.WebUrl,
        UpdatedAt = dto.UpdatedAt,
    };
}
