using System.Runtime.CompilerServices;

namespace LlmStruct.Linking;

/// <summary>Per-index memo for linkers that need derived tables (computed once per link, thread-safe).</summary>
internal static class LinkMemo<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>
    where T : class
{
    private static readonly ConditionalWeakTable<LinkIndex, T> Table = [];

    public static T Get(LinkIndex index, Func<LinkIndex, T> create) =>
        Table.TryGetValue(index, out var made) ? made : Make(index, create);

    // Apart from Get, so the closure is allocated only when the table is made (not on every lookup).
    private static T Make(LinkIndex index, Func<LinkIndex, T> create) => Table.GetValue(index, i => create(i));
}
