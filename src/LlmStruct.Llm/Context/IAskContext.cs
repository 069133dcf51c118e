using LlmStruct.Model;

namespace LlmStruct.Llm.Context;

/// <summary>
/// Renders the struct context put before a question, within a token budget: <see cref="BudgetedStructContext"/>
/// (Core's ranked, token-budgeted context; what <c>ask</c> uses) or the plain outline <see cref="StructSummaryContext"/>.
/// </summary>
internal interface IAskContext
{
    /// <summary>Markdown describing <paramref name="document"/> in at most <paramref name="tokenBudget"/> tokens.</summary>
    string Render(StructDocument document, int tokenBudget);
}
