using LlmStruct.Serve.Api;
using LlmStruct.Serve.Project;
using LlmStruct.Tasks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.Pages;

/// <summary>The tasks board (<c>/tasks</c>), a task's page, and the forms that edit (<c>/update_task</c>) and create tasks.</summary>
internal static class TaskPages
{
    /// <summary>Maps the pages on <paramref name="pages"/> (the login check is the group's).</summary>
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/tasks", async Task<IResult> (string? status, string? assignee, string? label, HttpContext http, ServeTasks tasks, IAntiforgery antiforgery, CancellationToken ct) =>
        {
            IReadOnlyList<ProjectTask> list;
            try
            {
                list = await tasks.ListAsync(status, assignee, label, ct).ConfigureAwait(false);
            }
            catch (TaskInputException ex)
            {
                return ApiEndpoints.Invalid(ex);
            }
            var all = await tasks.ListAsync(null, null, null, ct).ConfigureAwait(false);
            var tokens = antiforgery.GetAndStoreTokens(http);
            var body = new Html().Raw("<form method=\"get\" action=\"/tasks\" id=\"filter\">")
                .Raw("Status ").Select("status", TaskStatuses.Names, status, "Filter by status", allowEmpty: true)
                .Raw(" Assignee ").Select("assignee", all.SelectMany(t => t.Assignees).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), assignee, "Filter by assignee", allowEmpty: true)
                .Raw(" Label ").Select("label", all.SelectMany(t => t.Labels).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), label, "Filter by label", allowEmpty: true)
                .Raw(" <button type=\"submit\">Filter</button> <a href=\"/tasks\">All</a></form>")
                .Raw("<p class=\"muted\">").Number(list.Count).Raw(" of ").Number(all.Count).Raw(" tasks</p>")
                .Raw("<table id=\"board\"><thead><tr><th>Id</th><th>Title</th><th>Status</th><th>Priority</th><th>Assignees</th><th>Labels</th></tr></thead><tbody>");
            string back = http.Request.Path + http.Request.QueryString;
            foreach (var t in list)
            {
                body.Raw("<tr data-task=\"").Text(t.Id).Raw("\"><td>").Link("/tasks/" + Html.Q(t.Id), t.Id).Raw("</td><td>").Text(t.Title).Raw("</td><td>")
                    .Raw("<form class=\"inline\" method=\"post\" action=\"/update_task\">").Antiforgery(tokens).Hidden("id", t.Id).Hidden("version", TaskVersion.Of(t)).Hidden("return", back)
                    .Select("status", TaskStatuses.Names, TaskStatuses.Name(t.Status), "Status of " + t.Id)
                    .Raw(" <button type=\"submit\">Save</button></form></td><td>").Text(t.Priority).Raw("</td><td>").Text(string.Join(", ", t.Assignees))
                    .Raw("</td><td>").Text(string.Join(", ", t.Labels)).Raw("</td></tr>");
            }
            body.Raw("</tbody></table><h2>New task</h2><form method=\"post\" action=\"/tasks/new\" id=\"new-task\">").Antiforgery(tokens)
                .Raw("<p><label>Title <input name=\"title\" required size=\"60\"></label></p>")
                .Raw("<p><label>Priority <input name=\"priority\"></label> <label>Assignees <input name=\"assignees\" placeholder=\"@kim, @lee\"></label> <label>Labels <input name=\"labels\" placeholder=\"bug, docs\"></label></p>")
                .Raw("<p><label>Description<textarea name=\"description\"></textarea></label></p><button type=\"submit\">Create</button></form>");
            return Html.Page(http, "Tasks", body);
        });

        pages.MapGet("/tasks/{id}", async Task<IResult> (string id, HttpContext http, ServeTasks tasks, ServeProject project, IAntiforgery antiforgery, CancellationToken ct) =>
        {
            var task = await tasks.FindAsync(id, ct).ConfigureAwait(false);
            if (task is null)
            {
                return Html.Page(http, "No such task", new Html().Raw("<p>").Text($"There is no task '{id}'.").Raw(" <a href=\"/tasks\">Back to the board</a></p>"), statusCode: StatusCodes.Status404NotFound);
            }
            var history = await tasks.HistoryAsync(id, ct).ConfigureAwait(false);
            var loaded = await project.GetAsync(ct).ConfigureAwait(false);
            var tokens = antiforgery.GetAndStoreTokens(http);
            var body = new Html().Raw("<form method=\"post\" action=\"/update_task\" id=\"edit-task\">").Antiforgery(tokens)
                .Hidden("id", task.Id).Hidden("version", TaskVersion.Of(task)).Hidden("return", "/tasks/" + Html.Q(task.Id))
                .Raw("<p><label>Title <input name=\"title\" size=\"70\" value=\"").Text(task.Title).Raw("\"></label></p><p><label>Status ")
                .Select("status", TaskStatuses.Names, TaskStatuses.Name(task.Status))
                .Raw("</label> <label>Priority <input name=\"priority\" value=\"").Text(task.Priority)
                .Raw("\"></label> <label>Assignees <input name=\"assignees\" value=\"").Text(string.Join(", ", task.Assignees))
                .Raw("\"></label> <label>Labels <input name=\"labels\" value=\"").Text(string.Join(", ", task.Labels))
                .Raw("\"></label></p><p><label>Description<textarea name=\"description\">").Text(task.Description)
                .Raw("</textarea></label></p><button type=\"submit\">Save</button></form>");
            body.Raw("<h2>Linked files</h2><ul>");
            foreach (var file in task.Files)
            {
                body.Raw("<li>");
                if (loaded.Index.Module(file) is not null)
                {
                    body.Link("/code/module?path=" + Html.Q(file), file);
                }
                else
                {
                    body.Text(file).Raw(" <span class=\"muted\">(not a module of struct.json)</span>");
                }
                body.Raw("</li>");
            }
            body.Raw("</ul><h2>Linked symbols</h2><ul>");
            foreach (var symbol in task.Symbols)
            {
                body.Raw("<li>");
                var entry = loaded.Index.Find(symbol) ?? loaded.Index.Search(symbol, 50).FirstOrDefault(e => e.Definition.QualifiedName == symbol);
                if (entry is not null)
                {
                    body.Link("/code/symbol?id=" + Html.Q(entry.Definition.Id), symbol);
                }
                else
                {
                    body.Text(symbol).Raw(" <span class=\"muted\">(matches no definition)</span>");
                }
                body.Raw("</li>");
            }
            if (task.DependsOn.Length > 0)
            {
                body.Raw("</ul><h2>Depends on</h2><ul>");
                foreach (var dep in task.DependsOn)
                {
                    body.Raw("<li>").Link("/tasks/" + Html.Q(dep), dep).Raw("</li>");
                }
            }
            body.Raw("</ul><h2>History</h2><table id=\"history\"><thead><tr><th>When (UTC)</th><th>Field</th><th>Old</th><th>New</th><th>Source</th></tr></thead><tbody>");
            foreach (var e in history)
            {
                body.Raw("<tr><td>").Text(e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).Raw("</td><td>").Text(e.Field)
                    .Raw("</td><td>").Text(e.OldValue).Raw("</td><td>").Text(e.NewValue).Raw("</td><td>").Text(TaskNames.Name(e.Source)).Raw("</td></tr>");
            }
            body.Raw("</tbody></table>");
            return Html.Page(http, task.Id + ": " + task.Title, body);
        });

        pages.MapPost("/update_task", async Task<IResult> (HttpContext http, ServeTasks tasks, IAntiforgery antiforgery, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (form, error) = await FormInput.ReadAsync(http, options.Value, antiforgery, ct).ConfigureAwait(false);
            if (form is null)
            {
                return error!;
            }
            string id = form["id"].ToString();
            var request = new TaskPatchRequest(
                form["version"].ToString(), Field(form, "title"), Field(form, "status"), Field(form, "priority"),
                form.ContainsKey("assignees") ? FormInput.List(form["assignees"]) : null,
                form.ContainsKey("labels") ? FormInput.List(form["labels"]) : null,
                Field(form, "description"));
            try
            {
                var task = await tasks.UpdateAsync(id, request, ct).ConfigureAwait(false);
                if (task is null)
                {
                    return Html.Page(http, "No such task", new Html().Raw("<p>").Text($"There is no task '{id}'.").Raw("</p>"), statusCode: StatusCodes.Status404NotFound);
                }
                return TypedResults.Redirect(FormInput.LocalReturn(form["return"], "/tasks/" + Html.Q(task.Id)));
            }
            catch (TaskInputException ex)
            {
                return Html.Page(http, "Not saved", new Html().Raw("<p class=\"error\" role=\"alert\">").Text(ex.Message).Raw("</p><p><a href=\"/tasks\">Back to the board</a></p>"), statusCode: StatusCodes.Status400BadRequest);
            }
            catch (StaleTaskVersionException ex)
            {
                return Html.Page(http, "Changed meanwhile", new Html().Raw("<p class=\"error\" role=\"alert\">").Text(ex.Message)
                    .Raw("</p><p>Your change was not saved. ").Link("/tasks/" + Html.Q(id), "Open the task as it is now").Raw("</p>"), statusCode: StatusCodes.Status409Conflict);
            }
        });

        pages.MapPost("/tasks/new", async Task<IResult> (HttpContext http, ServeTasks tasks, IAntiforgery antiforgery, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (form, error) = await FormInput.ReadAsync(http, options.Value, antiforgery, ct).ConfigureAwait(false);
            if (form is null)
            {
                return error!;
            }
            var request = new TaskCreateRequest(null, Field(form, "title"), Field(form, "status"), Field(form, "priority"),
                FormInput.List(form["assignees"]), FormInput.List(form["labels"]), Field(form, "description"));
            try
            {
                var task = await tasks.CreateAsync(request, ct).ConfigureAwait(false);
                return TypedResults.Redirect("/tasks/" + Html.Q(task.Id));
            }
            catch (TaskInputException ex)
            {
                return Html.Page(http, "Not created", new Html().Raw("<p class=\"error\" role=\"alert\">").Text(ex.Message).Raw("</p><p><a href=\"/tasks\">Back to the board</a></p>"), statusCode: StatusCodes.Status400BadRequest);
            }
        });
    }

    // A posted field, or null when the form does not carry it (so the task keeps its value).
    private static string? Field(IFormCollection form, string name) => form.ContainsKey(name) ? form[name].ToString() : null;
}
