using System.Collections.Immutable;
using LlmStruct.Model;
using LlmStruct.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmStruct.Parsers.CSharp;

/// <summary>
/// Walks one Roslyn syntax tree into the model: this file holds the entry point, namespaces, types, ids and the
/// parts every definition shares; <c>StructureExtractor.Members.cs</c> holds members and local functions.
/// Declarations nest at most <see cref="MaxDepth"/> deep; expressions are walked iteratively.
/// </summary>
internal sealed partial class StructureExtractor
{
    /// <summary>Deepest nesting of namespaces, types and local functions read; deeper ones become one error.</summary>
    internal const int MaxDepth = 100;

    private readonly string _path;
    private readonly SyntaxTree _tree;
    private readonly List<ParseError> _errors;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, int> _idCounts = new(StringComparer.Ordinal);
    private readonly List<ImportInfo> _imports = [];
    private bool _reportedDepth;

    public StructureExtractor(string path, SyntaxTree tree, List<ParseError> errors, CancellationToken cancellationToken)
    {
        _path = path;
        _tree = tree;
        _errors = errors;
        _cancellationToken = cancellationToken;
    }

    public ModuleInfo Extract()
    {
        var root = (CompilationUnitSyntax)_tree.GetRoot(_cancellationToken);
        AddUsings(root.Usings);
        var definitions = new List<Definition>();
        foreach (var member in root.Members)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            ReadMember(member, Scope.Root, definitions, depth: 1);
        }
        return new ModuleInfo
        {
            Imports = [.. _imports.OrderBy(i => i.Line).ThenBy(i => i.Module, StringComparer.Ordinal)],
            Definitions = Sorted(definitions),
        };
    }

    private void ReadMember(MemberDeclarationSyntax member, Scope scope, List<Definition> into, int depth)
    {
        if (depth > MaxDepth)
        {
            ReportDepth(member);
            return;
        }
        switch (member)
        {
            case BaseNamespaceDeclarationSyntax ns when SyntaxText.Compact(ns.Name).Length == 0:
                // A namespace without a name (a syntax error): keep its members in the enclosing scope.
                AddUsings(ns.Usings);
                foreach (var inner in ns.Members)
                {
                    ReadMember(inner, scope, into, depth + 1);
                }
                break;
            case BaseNamespaceDeclarationSyntax ns:
                into.Add(ReadNamespace(ns, scope, depth));
                break;
            case ExtensionBlockDeclarationSyntax extension:
                foreach (var inner in extension.Members)
                {
                    ReadMember(inner, scope with { InExtensionBlock = true }, into, depth);
                }
                break;
            case BaseTypeDeclarationSyntax type when !IsMissing(type.Identifier):
                into.Add(ReadType(type, scope, depth));
                break;
            case DelegateDeclarationSyntax d when !IsMissing(d.Identifier):
                into.Add(ReadDelegate(d, scope));
                break;
            case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                // Nameless (a syntax error, reported as such): nothing to call it by.
                break;
            case GlobalStatementSyntax statement:
                ReadGlobalStatement(statement, into, depth);
                break;
            default:
                ReadTypeMember(member, scope, into, depth);
                break;
        }
    }

    private void ReportDepth(SyntaxNode node)
    {
        if (_reportedDepth)
        {
            return;
        }
        _reportedDepth = true;
        var start = _tree.GetLineSpan(node.Span).StartLinePosition;
        _errors.Add(new ParseError
        {
            File = _path,
            Line = start.Line + 1,
            Column = start.Character + 1,
            Reason = $"declarations nested deeper than {MaxDepth} levels are not read",
        });
    }

    private Definition ReadNamespace(BaseNamespaceDeclarationSyntax ns, Scope scope, int depth)
    {
        AddUsings(ns.Usings);
        var name = SyntaxText.Compact(ns.Name);
        var qualifiedName = scope.Qualify(name);
        var id = NewId(qualifiedName, null);
        var inner = new Scope(qualifiedName, ScopeKind.Namespace);
        var children = new List<Definition>();
        foreach (var member in ns.Members)
        {
            if (depth == 1)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }
            ReadMember(member, inner, children, depth + 1);
        }
        var (start, end) = Lines(ns);
        return new Definition
        {
            Id = id,
            Kind = DefinitionKinds.Namespace,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = start,
            EndLine = end,
            Docstring = XmlDocs.Summary(ns),
            Children = Sorted(children),
        };
    }

    private Definition ReadType(BaseTypeDeclarationSyntax type, Scope scope, int depth)
    {
        var name = type.Identifier.ValueText;
        var qualifiedName = scope.Qualify(name);
        var id = NewId(qualifiedName, null);
        var kind = type switch
        {
            RecordDeclarationSyntax => DefinitionKinds.Record,
            ClassDeclarationSyntax => DefinitionKinds.Class,
            StructDeclarationSyntax => DefinitionKinds.Struct,
            InterfaceDeclarationSyntax => DefinitionKinds.Interface,
            EnumDeclarationSyntax => DefinitionKinds.Enum,
            _ => DefinitionKinds.Class,
        };
        var extraModifiers = type is RecordDeclarationSyntax record && record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword)
            ? ["struct"]
            : Array.Empty<string>();
        var innerKind = kind == DefinitionKinds.Interface ? ScopeKind.Interface : ScopeKind.Type;
        var inner = new Scope(qualifiedName, innerKind);
        var children = new List<Definition>();
        var calls = new CallCollector();
        var typeDeclaration = type as TypeDeclarationSyntax;
        if (type is EnumDeclarationSyntax enumDeclaration)
        {
            foreach (var member in enumDeclaration.Members.Where(m => !IsMissing(m.Identifier)))
            {
                children.Add(ReadEnumMember(member, inner));
            }
        }
        else if (typeDeclaration is not null)
        {
            foreach (var baseType in type.BaseList?.Types ?? default)
            {
                if (baseType is PrimaryConstructorBaseTypeSyntax primary)
                {
                    // Arguments passed to the base constructor run as part of the primary constructor.
                    Walk(primary.ArgumentList, inner, calls, children, depth + 1);
                }
            }
            foreach (var member in typeDeclaration.Members)
            {
                ReadMember(member, inner, children, depth + 1);
            }
        }
        var (start, end) = Lines(type);
        return new Definition
        {
            Id = id,
            Kind = kind,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = start,
            EndLine = end,
            TypeParameters = TypeParameters(typeDeclaration?.TypeParameterList),
            Parameters = Parameters(typeDeclaration?.ParameterList),
            Decorators = Decorators(type.AttributeLists),
            Bases = [.. (type.BaseList?.Types ?? default).Select(b => SyntaxText.Compact(b.Type))],
            Docstring = XmlDocs.Summary(type),
            Visibility = Visibility(type.Modifiers, TypeDefaultVisibility(scope)),
            Static = Has(type.Modifiers, SyntaxKind.StaticKeyword),
            Modifiers = Modifiers(type.Modifiers, extraModifiers),
            Calls = calls.ToCalls(),
            Children = Sorted(children),
        };
    }

    private Definition ReadEnumMember(EnumMemberDeclarationSyntax member, Scope scope)
    {
        var name = member.Identifier.ValueText;
        var qualifiedName = scope.Qualify(name);
        var (start, end) = Lines(member);
        return new Definition
        {
            Id = NewId(qualifiedName, null),
            Kind = DefinitionKinds.EnumMember,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = start,
            EndLine = end,
            Decorators = Decorators(member.AttributeLists),
            Docstring = XmlDocs.Summary(member),
            Visibility = "public",
        };
    }

    private Definition ReadDelegate(DelegateDeclarationSyntax d, Scope scope)
    {
        var name = d.Identifier.ValueText;
        var qualifiedName = scope.Qualify(name);
        var (start, end) = Lines(d);
        return new Definition
        {
            Id = NewId(qualifiedName, Signature(d.ParameterList)),
            Kind = DefinitionKinds.Delegate,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = start,
            EndLine = end,
            TypeParameters = TypeParameters(d.TypeParameterList),
            Parameters = Parameters(d.ParameterList),
            ReturnType = SyntaxText.Compact(d.ReturnType),
            Decorators = Decorators(d.AttributeLists),
            Docstring = XmlDocs.Summary(d),
            Visibility = Visibility(d.Modifiers, TypeDefaultVisibility(scope)),
            Static = Has(d.Modifiers, SyntaxKind.StaticKeyword),
            Modifiers = Modifiers(d.Modifiers),
        };
    }

    private void AddUsings(SyntaxList<UsingDirectiveSyntax> usings)
    {
        foreach (var u in usings)
        {
            var target = u.NamespaceOrType is null ? "" : SyntaxText.Compact(u.NamespaceOrType);
            var line = _tree.GetLineSpan(u.Span).StartLinePosition.Line + 1;
            if (u.Alias is not null)
            {
                _imports.Add(new ImportInfo { Module = target, Kind = "using_alias", Alias = u.Alias.Name.Identifier.ValueText, Line = line });
            }
            else
            {
                var kind = u.StaticKeyword.IsKind(SyntaxKind.StaticKeyword) ? "using_static" : "using";
                _imports.Add(new ImportInfo { Module = target, Kind = kind, Line = line });
            }
        }
    }

    /// <summary>The id for a qualified name; a repeat in this file gets <c>~2</c>, <c>~3</c>… in source order.</summary>
    private string NewId(string qualifiedName, string? signature)
    {
        var id = DefinitionIds.Create(_path, qualifiedName, signature);
        _idCounts.TryGetValue(id, out int seen);
        _idCounts[id] = seen + 1;
        return seen == 0 ? id : $"{id}~{seen + 1}";
    }

    /// <summary>1-based first and last line of a node's span: attributes included, leading trivia and doc comments not.</summary>
    private (int Start, int End) Lines(SyntaxNode node)
    {
        var span = _tree.GetLineSpan(node.Span);
        return (span.StartLinePosition.Line + 1, span.EndLinePosition.Line + 1);
    }

    /// <summary>True for a name Roslyn inserted to recover from a syntax error (empty text).</summary>
    private static bool IsMissing(SyntaxToken identifier) => identifier.IsMissing || identifier.ValueText.Length == 0;

    private static ImmutableArray<Definition> Sorted(List<Definition> definitions) =>
        [.. definitions.OrderBy(d => d.StartLine).ThenBy(d => d.Name, StringComparer.Ordinal)];
}
