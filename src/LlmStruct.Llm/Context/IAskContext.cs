using LlmStruct.Model;

namespace LlmStruct.Llm.Context;

/// <summary>
/// Renders the struct context put before a question, within a token budget. A seam: the token-budgeted context
/// builder of the <c>context</c> command replaces <see cref="StructSummaryContext"/> here once it lands.
/// </summary>
internal interface IAskContext
{
    /// <summary>Markdown describing <paramref name="document"/> in at most <paramref name="tokenBudget"/> tokens.</summary>
    string Render(StructDocument document, int tokenBudget);
}
