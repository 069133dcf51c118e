using LlmStruct.Context;
using LlmStruct.Model;

namespace LlmStruct.Llm.Context;

/// <summary>
/// The ask context from Core's token-budgeted context builder (the same Markdown `llmstruct context` renders:
/// summary, instructions, then the highest-ranked files' signatures), counted with a real tokenizer.
/// </summary>
internal sealed class BudgetedStructContext(IContextBuilder builder) : IAskContext
{
    public string Render(StructDocument document, int tokenBudget) =>
        builder.Build(document, new ContextRequest { Budget = Math.Max(1, tokenBudget), Format = ContextFormats.Markdown }).Text;
}
