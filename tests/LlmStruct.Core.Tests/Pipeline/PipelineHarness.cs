using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Pipeline;

internal static class PipelineHarness
{
    public static StructPipeline Create() => new(new ParserRegistry([new TestParser()]));

    public static async Task<StructDocument> RunAsync(string root, int parallelism = 2, LlmStructOptions? options = null, IProgress<PipelineProgress>? progress = null)
    {
        var result = await Create().RunAsync(
            new PipelineRequest { Root = root, Options = options ?? new LlmStructOptions { Project = new ProjectOptions { Name = "t" } }, MaxDegreeOfParallelism = parallelism },
            progress);
        return result.Document;
    }

    public static byte[] Bytes(StructDocument document) => StructJson.Serialize(document);
}
