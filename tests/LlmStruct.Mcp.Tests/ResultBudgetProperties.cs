using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Mcp.Tools;

namespace LlmStruct.Mcp.Tests;

public sealed class ResultBudgetProperties
{
    private static readonly string Sample = string.Join("\n", Enumerable.Range(0, 400).Select(i => $"- function app/m{i}.py#f{i}(x: int) -> int L{i}-{i + 3}: does thing {i} with ünïcödé and 数字"));

    [Property(MaxTest = 200)]
    public Property A_text_never_exceeds_its_budget() =>
        Prop.ForAll(Gen.Choose(1, 6000).ToArbitrary(), Gen.Choose(0, Sample.Length).ToArbitrary(), (budget, length) =>
        {
            var text = Sample[..length];
            var fitted = ResultBudget.FitText(text, budget);
            return ResultBudget.Count(fitted) <= budget
                && (ResultBudget.Count(text) > budget || fitted == text)
                && (fitted == text || fitted.Contains("[truncated", StringComparison.Ordinal) || budget < 40);
        });

    [Property(MaxTest = 100)]
    public Property A_list_keeps_the_longest_prefix_that_fits() =>
        Prop.ForAll(Gen.Choose(1, 3000).ToArbitrary(), Gen.Choose(0, 120).ToArbitrary(), (budget, count) =>
        {
            var items = Enumerable.Range(0, count).Select(i => $"item {i}: a definition with a docstring").ToList();
            string Render(IReadOnlyList<string> kept, int omitted) => string.Join("\n", kept) + $"\n({omitted} omitted)";
            var fitted = ResultBudget.FitList(items, budget, Render);
            if (ResultBudget.Count(fitted) > budget)
            {
                return false;
            }
            int kept = fitted.Split('\n').Count(l => l.StartsWith("item ", StringComparison.Ordinal));
            // One more item would not have fitted (unless everything is there).
            return kept == count || ResultBudget.Count(Render([.. items.Take(kept + 1)], count - kept - 1)) > budget || fitted.Contains("[truncated", StringComparison.Ordinal);
        });
}
