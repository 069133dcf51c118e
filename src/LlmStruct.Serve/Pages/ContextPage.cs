using LlmStruct.Context;
using LlmStruct.Serve.Api;
using LlmStruct.Serve.Project;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmStruct.Serve.Pages;

/// <summary><c>/context</c>: pick focus and budget, see the rendered context and its exact token count, copy it.</summary>
internal static class ContextPage
{
    // Copies the rendered text to the clipboard; where the clipboard is refused, selects it for Ctrl+C.
    private const string CopyScript = """
        document.getElementById('copy').addEventListener('click', async () => {
          const text = document.getElementById('context').textContent;
          const status = document.getElementById('copy-status');
          try {
            await navigator.clipboard.writeText(text);
            status.textContent = 'copied ' + text.length + ' characters';
          } catch (e) {
            const range = document.createRange();
            range.selectNodeContents(document.getElementById('context'));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            status.textContent = 'selected: press Ctrl+C to copy';
          }
        });
        """;

    /// <summary>Maps the page on <paramref name="pages"/> (the login check is the group's).</summary>
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/context", async Task<IResult> (string? focus, int? budget, string? format, HttpContext http, ServeProject project, IContextBuilder builder, CancellationToken ct) =>
        {
            var body = new Html().Raw("<form method=\"get\" action=\"/context\" id=\"context-form\"><label>Focus <input name=\"focus\" size=\"50\" placeholder=\"paths or symbols, comma-separated\" value=\"")
                .Text(focus).Raw("\"></label> <label>Budget <input name=\"budget\" type=\"number\" min=\"1\" value=\"").Number(budget ?? ContextRequest.DefaultBudget)
                .Raw("\"></label> <label>Format ").Select("format", ContextFormats.All, format ?? ContextFormats.Markdown).Raw("</label> <button type=\"submit\">Render</button></form>");
            int status = StatusCodes.Status200OK;
            string? script = null;
            if (http.Request.Query.ContainsKey("budget"))
            {
                var (result, error) = await ContextRendering.RenderAsync(project, builder, FormInput.List(focus), budget, format, null, ct).ConfigureAwait(false);
                if (result is null)
                {
                    body.Raw("<p class=\"error\" role=\"alert\">").Text(error!.Message).Raw("</p>");
                    status = StatusCodes.Status400BadRequest;
                }
                else
                {
                    body.Raw("<p id=\"tokens\">").Number(result.Tokens).Raw(" tokens of ").Number(result.Budget).Raw(" (o200k), ")
                        .Number(result.FilesIncluded).Raw(" of ").Number(result.FilesTotal).Raw(" files</p>")
                        .Raw("<p><button type=\"button\" id=\"copy\">Copy</button> <span id=\"copy-status\" class=\"muted\" role=\"status\"></span></p>")
                        .Raw("<pre id=\"context\">").Text(result.Text).Raw("</pre>");
                    script = CopyScript;
                }
            }
            return Html.Page(http, "Context", body, script, status);
        });
    }
}
