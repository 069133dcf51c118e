using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace LlmStruct.Tasks.Tests.Sync;

/// <summary>
/// GitLab's REST v4 issues API for one project (<c>/api/v4/projects/GROUP%2FPROJECT/…</c>): list (<c>state</c>,
/// <c>per_page</c> up to 100, <c>page</c>, <c>X-Next-Page</c>/<c>X-Total-Pages</c> headers), get, create (labels as a
/// comma-separated string, <c>assignee_ids</c>), edit (<c>state_event</c> close/reopen), users by username, notes
/// (list, create, edit) of issues and of merge requests (<see cref="AddMergeRequest"/>). The token goes in <c>PRIVATE-TOKEN</c> or <c>Authorization: Bearer …</c>.
/// </summary>
public sealed class FakeGitLabServer : FakeTrackerServer
{
    private readonly List<Item> _issues = [];
    private readonly List<(long Id, long Issue, string Body)> _notes = [];
    private readonly List<(long Id, long Issue, string Body)> _mergeRequestNotes = [];
    private readonly HashSet<long> _mergeRequests = [];
    private readonly Dictionary<string, long> _users = new(StringComparer.OrdinalIgnoreCase);
    private long _nextNote = 500;

    public FakeGitLabServer(string project, string token, params string[] users)
        : base(token, "/api/v4")
    {
        Project = project;
        foreach (var user in users)
        {
            _users[user] = 100 + _users.Count;
        }
    }

    public string Project { get; }

    public IReadOnlyList<Item> Issues
    {
        get
        {
            lock (_issues)
            {
                return _issues.ToList();
            }
        }
    }

    public IReadOnlyList<(long Id, long Issue, string Body)> Notes
    {
        get
        {
            lock (_issues)
            {
                return _notes.ToList();
            }
        }
    }

    /// <summary>Notes on merge requests (GitLab keeps them apart from issue notes).</summary>
    public IReadOnlyList<(long Id, long MergeRequest, string Body)> MergeRequestNotes
    {
        get
        {
            lock (_issues)
            {
                return _mergeRequestNotes.ToList();
            }
        }
    }

    /// <summary>Opens merge request <paramref name="iid"/> (only its notes are served).</summary>
    public void AddMergeRequest(long iid)
    {
        lock (_issues)
        {
            _mergeRequests.Add(iid);
        }
    }

    public Item Add(string title, string description = "")
    {
        lock (_issues)
        {
            var item = new Item { Iid = _issues.Count + 1, Title = title, Description = description, UpdatedAt = Now() };
            _issues.Add(item);
            return item;
        }
    }

    public void Edit(long iid, Action<Item> edit)
    {
        lock (_issues)
        {
            var item = _issues.Single(i => i.Iid == iid);
            edit(item);
            item.UpdatedAt = Now();
        }
    }

    protected override bool Authorized(HttpListenerRequest request) =>
        request.Headers["PRIVATE-TOKEN"] == Token || request.Headers["Authorization"] == "Bearer " + Token;

    protected override (int Status, JsonNode? Body, IReadOnlyList<(string, string)> Headers) Handle(string method, string[] s, Dictionary<string, string> query, JsonNode? body)
    {
        lock (_issues)
        {
            if (s.Length < 3 || s[0] != "api" || s[1] != "v4")
            {
                return Error(404, "404 Not Found");
            }
            if (s.Length == 3 && s[2] == "users" && method == "GET")
            {
                var name = query.GetValueOrDefault("username", "");
                return Ok(_users.TryGetValue(name, out var id) ? new JsonArray(User(name, id)) : new JsonArray());
            }
            if (s.Length >= 7 && s[2] == "projects" && s[3] == Project && s[4] == "merge_requests" && s[6] == "notes")
            {
                return HandleMergeRequestNotes(method, s, query, body);
            }
            if (s.Length < 5 || s[2] != "projects" || s[3] != Project || s[4] != "issues")
            {
                return Error(404, "404 Project Not Found");
            }
            var item = s.Length >= 6 ? _issues.FirstOrDefault(i => i.Iid.ToString(CultureInfo.InvariantCulture) == s[5]) : null;
            if (s.Length >= 6 && item is null)
            {
                return Error(404, "404 Issue Not Found");
            }
            switch (method, s.Length)
            {
                case ("GET", 5):
                    var state = query.GetValueOrDefault("state", "all");
                    var all = _issues.Where(i => state == "all" || (state == "closed") == i.Closed).ToList();
                    if (query.GetValueOrDefault("sort", "desc") != "asc")
                    {
                        all.Reverse();
                    }
                    return Page(all.Select(Json).ToList(), query);
                case ("POST", 5):
                    if (body?["title"]?.GetValue<string>() is not { Length: > 0 })
                    {
                        return Error(400, "title is missing");
                    }
                    var created = new Item { Iid = _issues.Count + 1 };
                    _issues.Add(created);
                    return Apply(created, body, 201);
                case ("GET", 6):
                    return Ok(Json(item!));
                case ("PUT", 6):
                    return Apply(item!, body!, 200);
                case ("GET", 7) when s[6] == "notes":
                    return Page(_notes.Where(n => n.Issue == item!.Iid).Select(NoteJson).ToList(), query);
                case ("POST", 7) when s[6] == "notes":
                    var note = (++_nextNote, item!.Iid, (string)body!["body"]!);
                    _notes.Add(note);
                    return Ok(NoteJson(note), 201);
                case ("PUT", 8) when s[6] == "notes":
                    int index = _notes.FindIndex(n => n.Issue == item!.Iid && n.Id.ToString(CultureInfo.InvariantCulture) == s[7]);
                    if (index < 0)
                    {
                        return Error(404, "404 Note Not Found");
                    }
                    _notes[index] = (_notes[index].Id, _notes[index].Issue, (string)body!["body"]!);
                    return Ok(NoteJson(_notes[index]));
                default:
                    return Error(404, "404 Not Found");
            }
        }
    }

    private (int, JsonNode?, IReadOnlyList<(string, string)>) HandleMergeRequestNotes(string method, string[] s, Dictionary<string, string> query, JsonNode? body)
    {
        if (!long.TryParse(s[5], NumberStyles.None, CultureInfo.InvariantCulture, out long iid) || !_mergeRequests.Contains(iid))
        {
            return Error(404, "404 Merge Request Not Found");
        }
        switch (method, s.Length)
        {
            case ("GET", 7):
                return Page(_mergeRequestNotes.Where(n => n.Issue == iid).Select(NoteJson).ToList(), query);
            case ("POST", 7):
                var note = (++_nextNote, iid, (string)body!["body"]!);
                _mergeRequestNotes.Add(note);
                return Ok(NoteJson(note), 201);
            case ("PUT", 8):
                int index = _mergeRequestNotes.FindIndex(n => n.Issue == iid && n.Id.ToString(CultureInfo.InvariantCulture) == s[7]);
                if (index < 0)
                {
                    return Error(404, "404 Note Not Found");
                }
                _mergeRequestNotes[index] = (_mergeRequestNotes[index].Id, iid, (string)body!["body"]!);
                return Ok(NoteJson(_mergeRequestNotes[index]));
            default:
                return Error(404, "404 Not Found");
        }
    }

    private static (int, JsonNode?, IReadOnlyList<(string, string)>) Page(List<JsonNode> all, Dictionary<string, string> query)
    {
        int perPage = Math.Clamp(int.Parse(query.GetValueOrDefault("per_page", "20"), CultureInfo.InvariantCulture), 1, 100);
        int page = int.Parse(query.GetValueOrDefault("page", "1"), CultureInfo.InvariantCulture);
        int pages = Math.Max(1, (all.Count + perPage - 1) / perPage);
        var headers = new List<(string, string)>
        {
            ("X-Page", page.ToString(CultureInfo.InvariantCulture)),
            ("X-Per-Page", perPage.ToString(CultureInfo.InvariantCulture)),
            ("X-Next-Page", page < pages ? (page + 1).ToString(CultureInfo.InvariantCulture) : ""),
            ("X-Total", all.Count.ToString(CultureInfo.InvariantCulture)),
            ("X-Total-Pages", pages.ToString(CultureInfo.InvariantCulture)),
        };
        return (200, new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage).Select(n => n.DeepClone())]), headers);
    }

    private (int, JsonNode?, IReadOnlyList<(string, string)>) Apply(Item item, JsonNode body, int status)
    {
        var o = body.AsObject();
        if (o.TryGetPropertyValue("title", out var title) && title is not null) item.Title = title.GetValue<string>();
        if (o.TryGetPropertyValue("description", out var description)) item.Description = description?.GetValue<string>() ?? "";
        if (o.TryGetPropertyValue("labels", out var labels) && labels is not null)
        {
            item.Labels = [.. labels.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];
        }
        if (o.TryGetPropertyValue("assignee_ids", out var ids) && ids is not null)
        {
            var wanted = ids.AsArray().Select(i => i!.GetValue<long>()).ToList();
            if (wanted.Any(w => !_users.ContainsValue(w)))
            {
                return Error(400, "assignee_ids: unknown user");
            }
            item.Assignees = [.. wanted.Distinct().Select(w => _users.First(u => u.Value == w).Key)];
        }
        if (o.TryGetPropertyValue("state_event", out var stateEvent) && stateEvent is not null)
        {
            item.Closed = stateEvent.GetValue<string>() switch { "close" => true, "reopen" => false, _ => item.Closed };
        }
        item.UpdatedAt = Now();
        return Ok(Json(item), status);
    }

    private JsonNode Json(Item i) => new JsonObject
    {
        ["id"] = 7000 + i.Iid,
        ["iid"] = i.Iid,
        ["project_id"] = 42,
        ["title"] = i.Title,
        ["description"] = i.Description.Length == 0 ? null : i.Description,
        ["state"] = i.Closed ? "closed" : "opened",
        ["labels"] = new JsonArray([.. i.Labels.Select(l => (JsonNode)l)]),
        ["assignees"] = new JsonArray([.. i.Assignees.Select(a => User(a, _users[a]))]),
        ["web_url"] = $"https://gitlab.test/{Project}/-/issues/{i.Iid}",
        ["created_at"] = "2026-01-01T00:00:00.000Z",
        ["updated_at"] = i.UpdatedAt,
    };

    private static JsonNode User(string username, long id) => new JsonObject { ["id"] = id, ["username"] = username, ["name"] = username };

    private static JsonNode NoteJson((long Id, long Issue, string Body) n) => new JsonObject { ["id"] = n.Id, ["body"] = n.Body, ["system"] = false };

    public sealed class Item
    {
        public long Iid { get; init; }
        public string Title { get; set; } = "";
        public string Description { get; set; } = "";
        public bool Closed { get; set; }
        public List<string> Labels { get; set; } = [];
        public List<string> Assignees { get; set; } = [];
        public string UpdatedAt { get; set; } = "";
    }
}
