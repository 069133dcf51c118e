using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.Security;

/// <summary>Checks the access token: the <c>Authorization: Bearer</c> header, or the login cookie for browsers.</summary>
internal sealed class ServeAuth(IOptions<ServeOptions> options)
{
    private readonly ServeOptions _options = options.Value;

    /// <summary>The cookie's name.</summary>
    public string CookieName => _options.CookieName;

    /// <summary>Whether <paramref name="token"/> is the configured one (constant time; an empty configured token matches nothing).</summary>
    public bool Matches(string? token)
    {
        if (string.IsNullOrEmpty(_options.Token) || string.IsNullOrEmpty(token))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(_options.Token));
    }

    /// <summary>The bearer token of the request, or null.</summary>
    public static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>
    /// Whether the request carries the token: the bearer header always counts; the cookie counts when
    /// <paramref name="allowCookie"/> (pages, forms with anti-forgery, and safe API reads from the pages' own script).
    /// </summary>
    public bool IsAuthorized(HttpContext context, bool allowCookie) =>
        Matches(Bearer(context.Request)) || (allowCookie && Matches(context.Request.Cookies[_options.CookieName]));

    /// <summary>Sets the login cookie: HttpOnly, SameSite=Strict, path /, Secure when the request is HTTPS.</summary>
    public void SetCookie(HttpContext context, string token) =>
        context.Response.Cookies.Append(_options.CookieName, token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = context.Request.IsHttps, IsEssential = true,
        });

    /// <summary>A new random token: 32 bytes, base64url.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
