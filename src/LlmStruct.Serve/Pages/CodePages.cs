using LlmStruct.Model;
using LlmStruct.Serve.Project;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmStruct.Serve.Pages;

/// <summary>The code map: modules by folder (<c>/code</c>), a module (<c>/code/module</c>), a definition (<c>/code/symbol</c>) with its callers and callees as links.</summary>
internal static class CodePages
{
    // Search as you type: asks /api/symbols (the login cookie counts for reads) and lists the hits as links.
    private const string SearchScript =
        "const q=document.getElementById('q'),out=document.getElementById('hits');let seq=0;" +
        "q.addEventListener('input',async()=>{const n=++seq,v=q.value.trim();if(!v){out.replaceChildren();return;}" +
        "const r=await fetch('/api/symbols?limit=30&q='+encodeURIComponent(v));if(n!==seq||!r.ok)return;const hits=await r.json();" +
        "out.replaceChildren(...hits.map(h=>{const li=document.createElement('li'),a=document.createElement('a');" +
        "a.href='/code/symbol?id='+encodeURIComponent(h.id);a.textContent=h.qualifiedName;li.append(a,' '+h.kind+' · '+h.path+':'+h.line);return li;}));});";

    /// <summary>Maps the pages on <paramref name="pages"/> (the login check is the group's).</summary>
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/code", async Task<IResult> (HttpContext http, ServeProject project, CancellationToken ct) =>
        {
            var loaded = await project.GetAsync(ct).ConfigureAwait(false);
            var body = new Html().Raw("<p><label>Find a symbol <input id=\"q\" type=\"search\" autocomplete=\"off\" size=\"40\" placeholder=\"name or qualified name\"></label></p><ul id=\"hits\"></ul>")
                .Raw("<p class=\"muted\">").Number(loaded.Document.Modules.Length).Raw(" modules, ").Number(loaded.Index.Count).Raw(" definitions</p>");
            foreach (var (folder, modules) in loaded.Index.Folders)
            {
                body.Raw("<details><summary>").Text(folder.Length == 0 ? "(root)" : folder + "/").Raw(" <span class=\"muted\">").Number(modules.Count).Raw("</span></summary><ul>");
                foreach (var m in modules)
                {
                    body.Raw("<li>").Link("/code/module?path=" + Html.Q(m.Path), m.Path).Raw(" <span class=\"muted\">").Text(m.Language).Raw(", ").Number(m.Definitions.Length).Raw(" definitions</span></li>");
                }
                body.Raw("</ul></details>");
            }
            return Html.Page(http, "Code map", body, SearchScript);
        });

        pages.MapGet("/code/module", async Task<IResult> (string? path, HttpContext http, ServeProject project, CancellationToken ct) =>
        {
            var loaded = await project.GetAsync(ct).ConfigureAwait(false);
            // Looked up in struct.json only: a path never opens a file.
            var module = path is null ? null : loaded.Index.Module(path);
            if (module is null)
            {
                return Html.Page(http, "No such module", new Html().Raw("<p>").Text($"struct.json has no module '{path}'.").Raw(" <a href=\"/code\">Code map</a></p>"), statusCode: StatusCodes.Status404NotFound);
            }
            var body = new Html().Raw("<p class=\"muted\">").Text(module.Language).Raw(", ").Number(module.Lines).Raw(" lines</p>");
            if (module.Docstring is not null)
            {
                body.Element("pre", module.Docstring);
            }
            body.Raw("<ul>");
            Tree(body, module.Definitions);
            body.Raw("</ul>");
            return Html.Page(http, module.Path, body);
        });

        pages.MapGet("/code/symbol", async Task<IResult> (string? id, HttpContext http, ServeProject project, CancellationToken ct) =>
        {
            var loaded = await project.GetAsync(ct).ConfigureAwait(false);
            var entry = id is null ? null : loaded.Index.Find(id);
            if (entry is null)
            {
                return Html.Page(http, "No such definition", new Html().Raw("<p>").Text($"struct.json has no definition '{id}'.").Raw(" <a href=\"/code\">Code map</a></p>"), statusCode: StatusCodes.Status404NotFound);
            }
            var d = entry.Definition;
            var body = new Html().Raw("<p>").Text(d.Kind).Raw(" in ").Link("/code/module?path=" + Html.Q(entry.Module.Path), entry.Module.Path)
                .Raw(", lines ").Number(d.StartLine).Raw("–").Number(d.EndLine).Raw("</p><pre id=\"signature\">").Text(Signature(d)).Raw("</pre>");
            if (d.Docstring is not null)
            {
                body.Raw("<h2>Docstring</h2>").Element("pre", d.Docstring);
            }
            body.Raw("<h2>Callers</h2><ul id=\"callers\">");
            foreach (var caller in d.CalledBy)
            {
                body.Raw("<li>").Link("/code/symbol?id=" + Html.Q(caller), loaded.Index.Find(caller)?.Definition.QualifiedName ?? caller).Raw("</li>");
            }
            body.Raw("</ul><h2>Callees</h2><ul id=\"callees\">");
            foreach (var call in d.Calls)
            {
                body.Raw("<li>");
                if (call.Target is not null && loaded.Index.Find(call.Target) is not null)
                {
                    body.Link("/code/symbol?id=" + Html.Q(call.Target), call.Callee);
                }
                else
                {
                    body.Text(call.Callee);
                }
                body.Raw(" <span class=\"muted\">line ").Number(call.Line).Raw("</span></li>");
            }
            body.Raw("</ul>");
            if (d.Children.Length > 0)
            {
                body.Raw("<h2>Members</h2><ul>");
                Tree(body, d.Children);
                body.Raw("</ul>");
            }
            return Html.Page(http, d.QualifiedName, body);
        });
    }

    /// <summary>A definition's signature as one line: decorators, kind, name, type parameters, parameters, return type, bases.</summary>
    internal static string Signature(Definition d)
    {
        var parts = new List<string>();
        parts.AddRange(d.Decorators.Select(x => "@" + x + "\n"));
        var head = (d.Async ? "async " : "") + d.Kind + " " + d.Name;
        if (d.TypeParameters.Length > 0)
        {
            head += "<" + string.Join(", ", d.TypeParameters) + ">";
        }
        if (d.Parameters.Length > 0 || d.Kind is DefinitionKinds.Function or DefinitionKinds.Method or DefinitionKinds.Constructor)
        {
            head += "(" + string.Join(", ", d.Parameters.Select(p => p.Name + (p.Type is null ? "" : ": " + p.Type) + (p.Default is null ? "" : " = " + p.Default))) + ")";
        }
        if (d.Bases.Length > 0)
        {
            head += " : " + string.Join(", ", d.Bases);
        }
        if (d.ReturnType is not null)
        {
            head += " -> " + d.ReturnType;
        }
        parts.Add(head);
        return string.Concat(parts);
    }

    private static void Tree(Html body, IEnumerable<Definition> definitions)
    {
        foreach (var d in definitions)
        {
            body.Raw("<li>").Link("/code/symbol?id=" + Html.Q(d.Id), d.Name).Raw(" <span class=\"muted\">").Text(d.Kind).Raw(", line ").Number(d.StartLine).Raw("</span>");
            if (d.Children.Length > 0)
            {
                body.Raw("<ul>");
                Tree(body, d.Children);
                body.Raw("</ul>");
            }
            body.Raw("</li>");
        }
    }
}
