using LlmStruct.Serve.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.Pages;

/// <summary><c>/login</c>: the token typed once, kept in an HttpOnly SameSite=Strict cookie.</summary>
internal static class LoginPage
{
    /// <summary>Maps the login form, its post, and <c>/</c> (to the board).</summary>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", () => TypedResults.Redirect("/tasks")).ExcludeFromDescription();
        // Browsers ask for it on every page: an empty answer instead of a 404 in their console.
        group.MapGet("/favicon.ico", () => TypedResults.NoContent()).ExcludeFromDescription();
        group.MapGet("/login", (string? @return, HttpContext http, IAntiforgery antiforgery) => Form(http, antiforgery, @return, null)).ExcludeFromDescription();
        group.MapPost("/login", async Task<IResult> (HttpContext http, IAntiforgery antiforgery, ServeAuth auth, IOptions<ServeOptions> options, CancellationToken ct) =>
        {
            var (form, error) = await FormInput.ReadAsync(http, options.Value, antiforgery, ct).ConfigureAwait(false);
            if (form is null)
            {
                return error!;
            }
            string token = form["token"].ToString().Trim();
            string? back = form["return"].ToString();
            if (!auth.Matches(token))
            {
                return Form(http, antiforgery, back, "That is not the token this server printed at start.", StatusCodes.Status401Unauthorized);
            }
            auth.SetCookie(http, token);
            return TypedResults.Redirect(FormInput.LocalReturn(back, "/tasks"));
        }).ExcludeFromDescription();
    }

    private static IResult Form(HttpContext http, IAntiforgery antiforgery, string? back, string? message, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var body = new Html();
        if (message is not null)
        {
            body.Raw("<p class=\"error\" role=\"alert\">").Text(message).Raw("</p>");
        }
        body.Raw("<p>Enter the token <code>llmstruct serve</code> printed when it started (or the one it was given).</p>")
            .Raw("<form method=\"post\" action=\"/login\">").Antiforgery(tokens).Hidden("return", FormInput.LocalReturn(back, "/tasks"))
            .Raw("<label>Token <input type=\"password\" name=\"token\" autocomplete=\"current-password\" required autofocus></label> <button type=\"submit\">Log in</button></form>");
        return Html.Page(http, "Log in", body, statusCode: status);
    }
}
