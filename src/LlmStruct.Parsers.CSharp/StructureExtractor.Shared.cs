using System.Collections.Immutable;
using LlmStruct.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmStruct.Parsers.CSharp;

/// <summary>Parts every definition shares: parameters, signatures, attributes, visibility and modifiers.</summary>
internal sealed partial class StructureExtractor
{
    private static ImmutableArray<ParameterInfo> Parameters(BaseParameterListSyntax? list)
    {
        if (list is null)
        {
            return [];
        }
        // A parameter without a name is a syntax error (reported as such); it still counts in the signature.
        return [.. list.Parameters.Where(p => !IsMissing(p.Identifier)).Select(p => new ParameterInfo
        {
            Name = p.Identifier.ValueText,
            Kind = ParameterKind(p.Modifiers),
            Type = p.Type is null ? null : SyntaxText.Compact(p.Type),
            Default = p.Default is null ? null : SyntaxText.Normalized(p.Default.Value),
        })];
    }

    private static string ParameterKind(SyntaxTokenList modifiers)
    {
        if (Has(modifiers, SyntaxKind.ThisKeyword))
        {
            return ParameterKinds.This;
        }
        if (Has(modifiers, SyntaxKind.ParamsKeyword))
        {
            return ParameterKinds.VarPositional;
        }
        if (Has(modifiers, SyntaxKind.OutKeyword))
        {
            return ParameterKinds.Out;
        }
        if (Has(modifiers, SyntaxKind.InKeyword) || Has(modifiers, SyntaxKind.RefKeyword) && Has(modifiers, SyntaxKind.ReadOnlyKeyword))
        {
            return ParameterKinds.In;
        }
        return Has(modifiers, SyntaxKind.RefKeyword) ? ParameterKinds.Ref : ParameterKinds.Regular;
    }

    /// <summary>
    /// The overload suffix: parameter types as written (compact), with <c>ref</c>/<c>out</c>/<c>in</c>/<c>ref readonly</c>
    /// kept because they tell overloads apart; <c>(int,string)</c> for parameter lists, <c>[int]</c> for indexers.
    /// </summary>
    private static string Signature(BaseParameterListSyntax list)
    {
        var parts = list.Parameters.Select(p =>
        {
            var refKind = string.Join(' ', p.Modifiers
                .Where(m => m.Kind() is SyntaxKind.RefKeyword or SyntaxKind.OutKeyword or SyntaxKind.InKeyword or SyntaxKind.ReadOnlyKeyword)
                .Select(m => m.Text));
            var type = p.Type is null ? p.Identifier.ValueText : SyntaxText.Compact(p.Type);
            return refKind.Length == 0 ? type : $"{refKind} {type}";
        });
        var joined = string.Join(',', parts);
        return list is BracketedParameterListSyntax ? $"[{joined}]" : $"({joined})";
    }

    private static ImmutableArray<string> TypeParameters(TypeParameterListSyntax? list) =>
        list is null ? [] : [.. list.Parameters.Select(p => p.Identifier.ValueText)];

    /// <summary>One entry per attribute, as compact source text without brackets; a target prefix is kept (<c>return: NotNull</c>).</summary>
    private static ImmutableArray<string> Decorators(SyntaxList<AttributeListSyntax> lists)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var list in lists)
        {
            var target = list.Target is null ? "" : list.Target.Identifier.Text + ": ";
            foreach (var attribute in list.Attributes)
            {
                result.Add(target + SyntaxText.Normalized(attribute));
            }
        }
        return result.ToImmutable();
    }

    private static bool Has(SyntaxTokenList modifiers, SyntaxKind kind) => modifiers.Any(kind);

    /// <summary>The declared visibility, or <paramref name="fallback"/> when the modifiers name none.</summary>
    private static string? Visibility(SyntaxTokenList modifiers, string? fallback) =>
        Visibilities.Of(
            Has(modifiers, SyntaxKind.PublicKeyword),
            Has(modifiers, SyntaxKind.PrivateKeyword),
            Has(modifiers, SyntaxKind.ProtectedKeyword),
            Has(modifiers, SyntaxKind.InternalKeyword),
            Has(modifiers, SyntaxKind.FileKeyword),
            fallback);

    /// <summary>Top-level types are internal; nested types are private in classes and structs, public in interfaces.</summary>
    private static string? TypeDefaultVisibility(Scope scope) => Visibilities.Default(scope);

    /// <summary>Members are private in classes and structs, public in interfaces; members written outside a type are internal.</summary>
    private static string? MemberDefaultVisibility(Scope scope) => Visibilities.Default(scope);

    /// <summary>Every modifier except visibility, <c>static</c> and <c>async</c> (which have their own fields), plus extras; sorted.</summary>
    private static ImmutableArray<string> Modifiers(SyntaxTokenList modifiers, IEnumerable<string>? extra = null)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var modifier in modifiers)
        {
            if (modifier.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword
                or SyntaxKind.InternalKeyword or SyntaxKind.StaticKeyword or SyntaxKind.AsyncKeyword)
            {
                continue;
            }
            if (modifier.Text.Length > 0)
            {
                result.Add(modifier.Text);
            }
        }
        foreach (var e in extra ?? [])
        {
            result.Add(e);
        }
        return [.. result];
    }
}
