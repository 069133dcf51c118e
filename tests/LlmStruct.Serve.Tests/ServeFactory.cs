using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmStruct.Serve.Tests;

/// <summary>
/// A host that mounts the package as an application would (<c>AddLlmStruct().AddServe(…)</c>, <c>MapLlmStruct()</c>)
/// over a temporary copy of a small Python project with tasks, driven through <see cref="WebApplicationFactory{T}"/>.
/// </summary>
public sealed partial class ServeFactory : WebApplicationFactory<ServeFactory>
{
    public const string Token = "test-token-0123456789";

    public const long MaxBody = 64 * 1024;

    public ServeFactory()
    {
        Root = Directory.CreateTempSubdirectory("llmstruct-serve-").FullName;
        Write("app/__init__.py", "");
        Write("app/pricing.py", """"
            """Pricing rules."""
            from .tax import tax_for


            class Item:
                """One line of a basket."""

                def subtotal(self) -> int:
                    """Price of this line without tax."""
                    return 1


            def total(items: list[Item], *, country: str = "DE") -> int:
                """Sum of the basket including tax."""
                net = sum(item.subtotal() for item in items)
                return net + tax_for(net, country)
            """");
        Write("app/tax.py", """
            def tax_for(net: int, country: str) -> int:
                return net // 5
            """);
        Write("llmstruct.toml", """
            [project]
            name = "shop"

            # Tasks of the shop (comments stay when the board edits them).
            [[tasks]]
            id = "TSK-001"
            title = "Document the checkout flow"
            status = "done"
            labels = ["docs"]

            [[tasks]]
            id = "TSK-002"
            title = "Reject negative prices"
            status = "in_progress"
            priority = "high"
            assignees = ["@kim"]
            labels = ["bug"]
            files = ["app/pricing.py"]
            symbols = ["total"]
            """);
    }

    public string Root { get; }

    public string Config => Path.Combine(Root, "llmstruct.toml");

    public string ReadConfig() => File.ReadAllText(Config);

    public void Write(string relative, string text)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>A client that sends the bearer token.</summary>
    public HttpClient Api()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>A browser-like client (cookies kept, no redirects followed), logged in through the form.</summary>
    public async Task<HttpClient> LoggedInAsync()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.GetStringAsync("/login");
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(login), ["token"] = Token, ["return"] = "/tasks",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The anti-forgery token of the first form on a page.</summary>
    public static string AntiforgeryToken(string html) =>
        WebUtility.HtmlDecode(AntiforgeryField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no anti-forgery field on the page"));

    /// <summary>The value of the hidden field <paramref name="name"/> in the form of the row or page.</summary>
    public static string Hidden(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, "name=\"" + Regex.Escape(name) + "\" value=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no field {name}"));

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            .ConfigureWebHost(web => web
                .UseContentRoot(Root)
                .ConfigureServices(services =>
                {
                    services.AddRouting();
                    services.AddLlmStruct().AddPythonParser().AddServe(o =>
                    {
                        o.ProjectRoot = Root;
                        o.Token = Token;
                        o.MaxRequestBodyBytes = MaxBody;
                        o.LlmServices = TestLlm.Services;
                    });
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapLlmStruct());
                }));

    // The content root is the project (not a folder named after this assembly beside the solution).
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(Root);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS; the temp folder is cleaned by the system.
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
