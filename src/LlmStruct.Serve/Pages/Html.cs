using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace LlmStruct.Serve.Pages;

/// <summary>
/// A small HTML writer: text and attribute values are always encoded (<see cref="HtmlEncoder"/>), markup is only what
/// this code writes. Pages are strings built on the server; no templates are compiled at run time (Native AOT).
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _sb = new();

    /// <summary>Markup written by the page code itself (never data).</summary>
    public Html Raw(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    /// <summary>Text, encoded.</summary>
    public Html Text(string? text)
    {
        _sb.Append(HtmlEncoder.Default.Encode(text ?? ""));
        return this;
    }

    /// <summary>A number.</summary>
    public Html Number(long value)
    {
        _sb.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>An element with encoded text: <c>&lt;tag&gt;text&lt;/tag&gt;</c>.</summary>
    public Html Element(string tag, string? text) => Raw("<" + tag + ">").Text(text).Raw("</" + tag + ">");

    /// <summary>A link with an encoded href and text.</summary>
    public Html Link(string href, string? text) => Raw("<a href=\"").Text(href).Raw("\">").Text(text).Raw("</a>");

    /// <summary>A hidden input.</summary>
    public Html Hidden(string name, string? value) => Raw("<input type=\"hidden\" name=\"").Text(name).Raw("\" value=\"").Text(value).Raw("\">");

    /// <summary>The anti-forgery field of a form (its cookie is set on the response).</summary>
    public Html Antiforgery(AntiforgeryTokenSet tokens) => Hidden(tokens.FormFieldName, tokens.RequestToken);

    /// <summary>A select with the options given, <paramref name="selected"/> chosen.</summary>
    public Html Select(string name, IEnumerable<string> options, string? selected, string? label = null, bool allowEmpty = false)
    {
        Raw("<select name=\"").Text(name).Raw("\"");
        if (label is not null)
        {
            Raw(" aria-label=\"").Text(label).Raw("\"");
        }
        Raw(">");
        if (allowEmpty)
        {
            Raw("<option value=\"\">(any)</option>");
        }
        foreach (var option in options)
        {
            Raw("<option value=\"").Text(option).Raw(option == selected ? "\" selected>" : "\">").Text(option).Raw("</option>");
        }
        return Raw("</select>");
    }

    /// <summary>The markup written.</summary>
    public override string ToString() => _sb.ToString();

    /// <summary>A query-string value, escaped.</summary>
    public static string Q(string value) => Uri.EscapeDataString(value);

    /// <summary>A whole page: the layout (navigation, style), <paramref name="body"/>, and the script given (run under the page's nonce).</summary>
    public static IResult Page(HttpContext context, string title, Html body, string? script = null, int statusCode = StatusCodes.Status200OK)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        // Only this page's own inline script runs; nothing is loaded from elsewhere; the page cannot be framed.
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var page = new Html()
            .Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Text(title).Raw(" · llmstruct</title><style nonce=\"").Text(nonce).Raw("\">").Raw(Style).Raw("</style></head><body>")
            .Raw("<nav><b>llmstruct</b> <a href=\"/tasks\">Tasks</a> <a href=\"/code\">Code map</a> <a href=\"/context\">Context</a> <a href=\"/analyze_task\">Analyze</a> <a href=\"/generate_diff\">Diff</a> <a href=\"/usage\">Usage</a> <a href=\"/openapi/v1.json\">OpenAPI</a></nav><main>")
            .Element("h1", title)
            .Raw(body.ToString())
            .Raw("</main>");
        if (script is not null)
        {
            page.Raw("<script nonce=\"").Text(nonce).Raw("\">").Raw(script).Raw("</script>");
        }
        page.Raw("</body></html>\n");
        return TypedResults.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    private const string Style =
        "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}" +
        "nav{background:#23324a;color:#fff;padding:.6em 1em}nav a{color:#cfe0ff;margin-left:1em}" +
        "main{padding:1em 1.5em;max-width:1200px}table{border-collapse:collapse;width:100%}" +
        "th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}" +
        "form.inline{display:inline}input,select,textarea,button{font:inherit}textarea{width:100%;min-height:6em}" +
        "pre{background:#fff;border:1px solid #ddd;padding:.8em;overflow:auto;white-space:pre-wrap}" +
        ".status{font-size:.85em;padding:.1em .45em;border-radius:.6em;background:#e8edf5}" +
        ".error{color:#a00000}.muted{color:#666}code{background:#eef;padding:0 .2em}" +
        "pre.diff{white-space:pre}.d-file{color:#555;font-weight:bold}.d-hunk{color:#6a3fb5}.d-add{color:#116329;background:#e6ffec}.d-del{color:#82071e;background:#ffebe9}" +
        "svg.chart{background:#fff;border:1px solid #ddd;margin:.3em 0 1em}svg.chart text{font:11px system-ui,sans-serif;fill:#333}" +
        ".charts{display:flex;flex-wrap:wrap;gap:1em}.charts figure{margin:0}";
}
