// The parse pipeline alone (discover, parse, link, write struct.json with the default options), as `llmstruct parse
// --input DIR --output FILE --no-cache` runs it for a folder without llmstruct.toml. Usage: LeanParse DIR FILE;
// without arguments it only starts and exits (start-up alone).
using LlmStruct;
using LlmStruct.Configuration;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

if (args.Length < 2)
{
    return 0;
}
var services = new ServiceCollection();
services.AddLlmStruct().AddPythonParser().AddJavaScriptParser().AddTypeScriptParser().AddCSharpParser();
using var provider = services.BuildServiceProvider();
var result = await provider.GetRequiredService<StructPipeline>().RunAsync(new PipelineRequest { Root = args[0], Options = new LlmStructOptions() });
await StructFileWriter.WriteAsync(args[1], result.Document!);
return 0;
