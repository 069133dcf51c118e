using LlmStruct.Serve.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace LlmStruct.Serve.Pages;

/// <summary>A posted form: read up to the body limit, its anti-forgery token checked.</summary>
internal static class FormInput
{
    /// <summary>The form, or the answer to give: 413 past the limit, 400 for a missing or bad anti-forgery token or a body that is not a form.</summary>
    public static async Task<(IFormCollection? Form, IResult? Error)> ReadAsync(HttpContext http, ServeOptions options, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (await RequestBody.ReadAsync(http.Request, options.MaxRequestBodyBytes, ct).ConfigureAwait(false) is null)
        {
            return (null, ServeEndpoints.TooLarge(options));
        }
        if (!http.Request.HasFormContentType)
        {
            return (null, TypedResults.Problem(title: "Bad request", detail: "send the form as application/x-www-form-urlencoded or multipart/form-data", statusCode: StatusCodes.Status400BadRequest));
        }
        try
        {
            await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return (null, TypedResults.Problem(title: "Bad anti-forgery token", detail: "the form's anti-forgery token is missing or does not match; reload the page and submit again", statusCode: StatusCodes.Status400BadRequest));
        }
        return (await http.Request.ReadFormAsync(ct).ConfigureAwait(false), null);
    }

    /// <summary>A local path to go back to (starts with one slash), else <paramref name="fallback"/>.</summary>
    public static string LocalReturn(string? path, string fallback) =>
        path is { Length: > 0 } p && p[0] == '/' && (p.Length == 1 || (p[1] != '/' && p[1] != '\\')) ? p : fallback;

    /// <summary>A comma-separated list as items (trimmed, empty ones dropped).</summary>
    public static IReadOnlyList<string> List(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
