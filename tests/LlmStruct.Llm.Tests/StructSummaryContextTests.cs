using LlmStruct.Llm.Context;
using LlmStruct.Model;

namespace LlmStruct.Llm.Tests;

public class StructSummaryContextTests
{
    private static StructDocument Document(int modules) => new()
    {
        Project = new ProjectInfo { Name = "demo", Summary = "A demo." },
        Context = new ContextInfo { Summary = "Parses code.", Files = [new ContextFile { Path = "src/z_main.py", Reason = "entry_point" }] },
        Stats = new StructStats { Modules = modules },
        Modules =
        [
            .. Enumerable.Range(0, modules).Select(i => new ModuleInfo
            {
                Path = i == 0 ? "src/z_main.py" : $"src/m{i:000}.py",
                Language = "python",
                Lines = 10,
                Definitions =
                [
                    new Definition
                    {
                        Kind = DefinitionKinds.Class, Name = "C", QualifiedName = "C", StartLine = 1, EndLine = 9, Docstring = "A class.",
                        Children = [new Definition { Kind = DefinitionKinds.Method, Name = "run", QualifiedName = "C.run", StartLine = 2, EndLine = 3, Parameters = [new ParameterInfo { Name = "self" }] }],
                    },
                ],
            }),
        ],
    };

    [Fact]
    public void Render_PutsSummariesKeyFilesFirst_AndOutlinesDefinitions()
    {
        var text = new StructSummaryContext().Render(Document(3), 10_000);

        Assert.StartsWith("# Project: demo\n\nA demo.\n\nParses code.\n\n## Key files\n- src/z_main.py (entry_point)\n", text);
        int main = text.IndexOf("- src/z_main.py (python", StringComparison.Ordinal);
        int first = text.IndexOf("- src/m001.py", StringComparison.Ordinal);
        Assert.True(main >= 0 && main < first);
        Assert.Contains("  - class C L1-9: A class.\n    - method C.run(self) L2-3\n", text);
        Assert.DoesNotContain("truncated", text);
    }

    [Fact]
    public void Render_StaysWithinBudget_AtWholeLines()
    {
        var context = new StructSummaryContext();
        var text = context.Render(Document(500), 300);

        Assert.EndsWith("… (truncated to fit the context budget)\n", text);
        Assert.True(Tokens.EstimatingTokenCounter.Instance.CountTokens(text) <= 300 + 20);
        Assert.Equal(text, context.Render(Document(500), 300));
    }
}
