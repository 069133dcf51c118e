using System.Collections.Immutable;
using LlmStruct.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmStruct.Testing;

/// <summary>
/// Checks C# definitions read by LlmStruct against what Roslyn's symbol API says about the same files: every
/// declaration gets its symbol from <see cref="SemanticModel.GetDeclaredSymbol(SyntaxNode, CancellationToken)"/>, and
/// kind, name, containing qualified name, line span and parameter names must match ours one for one.
/// Self-contained (Core model + Roslyn only) so other test projects can link this file, e.g. the CLI's dogfood test:
/// <c>&lt;Compile Include="../LlmStruct.Parsers.CSharp.Tests/RoslynAgreement.cs" Link="RoslynAgreement.cs" /&gt;</c>.
/// </summary>
/// <remarks>
/// Exclusions: members of C# 14 <c>extension(…)</c> blocks (Roslyn puts them in an unnamed extension type; we flatten
/// them into the enclosing class and mark them <c>extension</c>). Code disabled by <c>#if</c> is absent on both sides
/// (no preprocessor symbols are defined). Local functions of top-level statements belong to the file (Roslyn: the
/// synthesized <c>Program.&lt;Main&gt;$</c>).
/// </remarks>
internal static class RoslynAgreement
{
    private static readonly CSharpParseOptions Options = new(LanguageVersion.Preview, DocumentationMode.Parse);

    /// <summary>One declaration, described the same way from both sides.</summary>
    internal readonly record struct Entry(string Path, string Kind, string Container, string Name, int StartLine, int EndLine, string Parameters)
    {
        /// <summary>
        /// Explicit interface implementations are compared by member name: we keep the interface as written
        /// (<c>IComparable&lt;C&lt;T&gt;&gt;.CompareTo</c>), Roslyn qualifies it (<c>IComparable&lt;Ns.C&lt;T&gt;&gt;.CompareTo</c>).
        /// </summary>
        public static Entry Create(string path, string kind, string container, string name, int startLine, int endLine, string parameters) =>
            new(path, kind, container, kind == DefinitionKinds.Namespace ? name : MemberName(name), startLine, endLine, parameters);

        private static string MemberName(string name)
        {
            // The part after the explicit interface: the last '.' outside angle brackets.
            int angle = 0;
            for (int i = name.Length - 1; i >= 0; i--)
            {
                switch (name[i])
                {
                    case '>': angle++; break;
                    case '<': angle--; break;
                    case '.' when angle == 0: return name[(i + 1)..];
                }
            }
            return name;
        }

        public override string ToString() =>
            $"{Path}:{StartLine}-{EndLine} {Kind} {(Container.Length == 0 ? "" : Container + " :: ")}{Name}({Parameters})";
    }

    /// <summary>
    /// Compares the C# modules (paths relative to <paramref name="root"/>) with Roslyn's symbols for the same files.
    /// Returns one line per disagreement (empty when they agree), and how many declarations were compared.
    /// </summary>
    public static (IReadOnlyList<string> Differences, int Compared) Compare(string root, IEnumerable<ModuleInfo> modules)
    {
        var csharp = modules.Where(m => m.Path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)).ToList();
        var trees = csharp
            .Select(m => CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(root, m.Path)), Options, m.Path))
            .ToList();
        var compilation = CSharpCompilation.Create("agreement", trees, options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var expected = new List<Entry>();
        foreach (var tree in trees)
        {
            expected.AddRange(Expected(tree, compilation.GetSemanticModel(tree)));
        }
        var actual = csharp.SelectMany(m => Actual(m.Path, m.Definitions, "")).ToList();
        var differences = new List<string>();
        foreach (var missing in MultisetExcept(expected, actual))
        {
            differences.Add($"Roslyn has, we lack: {missing}");
        }
        foreach (var extra in MultisetExcept(actual, expected))
        {
            differences.Add($"we have, Roslyn lacks: {extra}");
        }
        return (differences, expected.Count);
    }

    private static IEnumerable<Entry> MultisetExcept(List<Entry> from, List<Entry> remove)
    {
        var counts = remove.GroupBy(e => e).ToDictionary(g => g.Key, g => g.Count());
        foreach (var entry in from.OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.StartLine))
        {
            if (counts.TryGetValue(entry, out int n) && n > 0)
            {
                counts[entry] = n - 1;
            }
            else
            {
                yield return entry;
            }
        }
    }

    private static IEnumerable<Entry> Actual(string path, ImmutableArray<Definition> definitions, string container)
    {
        foreach (var d in definitions)
        {
            if (d.Modifiers.Contains("extension"))
            {
                continue;
            }
            yield return Entry.Create(path, d.Kind, container, d.Name, d.StartLine, d.EndLine, string.Join(",", d.Parameters.Select(p => p.Name)));
            foreach (var child in Actual(path, d.Children, d.QualifiedName))
            {
                yield return child;
            }
        }
    }

    private static IEnumerable<Entry> Expected(SyntaxTree tree, SemanticModel model)
    {
        var root = tree.GetRoot();
        foreach (var node in root.DescendantNodes(n => n is not ExtensionBlockDeclarationSyntax))
        {
            SyntaxNode? spanNode = node switch
            {
                BaseNamespaceDeclarationSyntax or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or EnumMemberDeclarationSyntax
                    or BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or LocalFunctionStatementSyntax => node,
                VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax field } => field,
                _ => null,
            };
            if (spanNode is null || node is ExtensionBlockDeclarationSyntax)
            {
                continue;
            }
            var symbol = model.GetDeclaredSymbol(node);
            if (symbol is null)
            {
                yield return new Entry(tree.FilePath, "no symbol", "", node.Kind().ToString(), 0, 0, "");
                continue;
            }
            var declared = symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == tree && r.Span.IntersectsWith(node.Span));
            var lines = tree.GetLineSpan(spanNode.Span);
            string container;
            string name;
            if (symbol is INamespaceSymbol ns)
            {
                var outer = node.Parent?.AncestorsAndSelf().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault();
                container = outer is null ? "" : model.GetDeclaredSymbol(outer)!.ToDisplayString();
                var full = ns.ToDisplayString();
                name = container.Length == 0 ? full : full[(container.Length + 1)..];
            }
            else
            {
                container = QualifiedName(symbol.ContainingSymbol);
                name = NameOf(symbol);
            }
            yield return Entry.Create(
                tree.FilePath,
                declared ? KindOf(symbol) : "symbol not declared here",
                container,
                name,
                lines.StartLinePosition.Line + 1,
                lines.EndLinePosition.Line + 1,
                string.Join(",", ParametersOf(symbol, node).Select(p => p.Name)));
        }
    }

    private static string QualifiedName(ISymbol? symbol)
    {
        // Lambdas and accessors are not definitions of ours: their local functions belong to the enclosing member.
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } || symbol is IMethodSymbol { AssociatedSymbol: not null })
        {
            symbol = symbol is IMethodSymbol { AssociatedSymbol: { } associated } ? associated : symbol.ContainingSymbol;
        }
        if (symbol is null || symbol.IsImplicitlyDeclared || symbol is INamespaceSymbol { IsGlobalNamespace: true }
            || symbol is IMethodSymbol { Name: WellKnownMemberNames.TopLevelStatementsEntryPointMethodName })
        {
            return "";
        }
        if (symbol is INamespaceSymbol ns)
        {
            return ns.ToDisplayString();
        }
        var outer = QualifiedName(symbol.ContainingSymbol);
        var name = NameOf(symbol);
        return outer.Length == 0 ? name : $"{outer}.{name}";
    }

    private static string KindOf(ISymbol symbol) => symbol switch
    {
        INamespaceSymbol => DefinitionKinds.Namespace,
        INamedTypeSymbol { IsRecord: true } => DefinitionKinds.Record,
        INamedTypeSymbol { TypeKind: TypeKind.Class } => DefinitionKinds.Class,
        INamedTypeSymbol { TypeKind: TypeKind.Struct } => DefinitionKinds.Struct,
        INamedTypeSymbol { TypeKind: TypeKind.Interface } => DefinitionKinds.Interface,
        INamedTypeSymbol { TypeKind: TypeKind.Enum } => DefinitionKinds.Enum,
        INamedTypeSymbol { TypeKind: TypeKind.Delegate } => DefinitionKinds.Delegate,
        IFieldSymbol { ContainingType.TypeKind: TypeKind.Enum } => DefinitionKinds.EnumMember,
        IFieldSymbol => DefinitionKinds.Field,
        IEventSymbol => DefinitionKinds.Event,
        IPropertySymbol { IsIndexer: true } => DefinitionKinds.Indexer,
        IPropertySymbol => DefinitionKinds.Property,
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } => DefinitionKinds.Constructor,
        IMethodSymbol { MethodKind: MethodKind.Destructor } => DefinitionKinds.Destructor,
        IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion } => DefinitionKinds.Operator,
        IMethodSymbol { MethodKind: MethodKind.LocalFunction } => DefinitionKinds.Function,
        IMethodSymbol => DefinitionKinds.Method,
        _ => symbol.Kind.ToString(),
    };

    /// <summary>Roslyn's name in our spelling: constructors by their type's name, <c>~T</c>, <c>this</c>, <c>operator+</c>.</summary>
    private static string NameOf(ISymbol symbol)
    {
        switch (symbol)
        {
            case IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } ctor:
                return ctor.ContainingType.Name;
            case IMethodSymbol { MethodKind: MethodKind.Destructor } dtor:
                return "~" + dtor.ContainingType.Name;
            case IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op:
                return Explicit(op.Name) + OperatorText(Simple(op.Name));
            case IMethodSymbol { MethodKind: MethodKind.Conversion } conversion:
                var simple = Simple(conversion.Name);
                var keyword = simple.Contains("Implicit", StringComparison.Ordinal) ? "implicit" : "explicit";
                var isChecked = simple.Contains("Checked", StringComparison.Ordinal) ? "checked " : "";
                return $"{Explicit(conversion.Name)}{keyword} operator {isChecked}{conversion.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}";
            case IPropertySymbol { IsIndexer: true } indexer:
                return indexer.Name.Replace("[]", "", StringComparison.Ordinal);
            default:
                return symbol.Name;
        }
    }

    private static string Simple(string name) => name[(name.LastIndexOf('.') + 1)..];

    private static string Explicit(string name) => name.Contains('.', StringComparison.Ordinal) ? name[..(name.LastIndexOf('.') + 1)] : "";

    private static string OperatorText(string metadataName)
    {
        var kind = SyntaxFacts.GetOperatorKind(metadataName);
        var text = SyntaxFacts.GetText(kind);
        var isChecked = SyntaxFacts.IsCheckedOperator(metadataName) ? " checked" : "";
        return SyntaxFacts.IsKeywordKind(kind) ? $"operator{isChecked} {text}" : $"operator{isChecked}{text}";
    }

    private static ImmutableArray<IParameterSymbol> ParametersOf(ISymbol symbol, SyntaxNode node) => symbol switch
    {
        IMethodSymbol method => method.Parameters,
        IPropertySymbol property => property.Parameters,
        INamedTypeSymbol { TypeKind: TypeKind.Delegate } d => d.DelegateInvokeMethod?.Parameters ?? [],
        INamedTypeSymbol type when node is TypeDeclarationSyntax { ParameterList: not null } =>
            type.InstanceConstructors.FirstOrDefault(c => c.DeclaringSyntaxReferences.Any(r => r.GetSyntax() == node))?.Parameters ?? [],
        _ => [],
    };
}
