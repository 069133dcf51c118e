using LlmStruct.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LlmStruct.Parsers.CSharp;

/// <summary>Members of types (methods, constructors, properties, fields…) and local functions.</summary>
internal sealed partial class StructureExtractor
{
    private void ReadTypeMember(MemberDeclarationSyntax member, Scope scope, List<Definition> into, int depth)
    {
        switch (member)
        {
            case FieldDeclarationSyntax field:
                ReadVariables(field, field.Declaration, DefinitionKinds.Field, scope, into, depth);
                break;
            case EventFieldDeclarationSyntax eventField:
                ReadVariables(eventField, eventField.Declaration, DefinitionKinds.Event, scope, into, depth);
                break;
            case BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax:
                if (ReadFunctionLike(member, scope, depth) is { } definition)
                {
                    into.Add(definition);
                }
                break;
            default:
                // Incomplete members (syntax errors) carry nothing worth keeping.
                break;
        }
    }

    /// <summary>
    /// Methods, constructors, destructors, operators, conversions, properties, indexers and events; null for one
    /// without a name (a syntax error, reported as such: there is nothing to call it by).
    /// </summary>
    private Definition? ReadFunctionLike(MemberDeclarationSyntax member, Scope scope, int depth)
    {
        string name;
        string kind;
        string? signature = null;
        string? returnType = null;
        BaseParameterListSyntax? parameterList = null;
        TypeParameterListSyntax? typeParameters = null;
        switch (member)
        {
            case MethodDeclarationSyntax method:
                name = ExplicitPrefix(method.ExplicitInterfaceSpecifier) + method.Identifier.ValueText;
                kind = scope.Kind == ScopeKind.Namespace ? DefinitionKinds.Function : DefinitionKinds.Method;
                parameterList = method.ParameterList;
                typeParameters = method.TypeParameterList;
                returnType = SyntaxText.Compact(method.ReturnType);
                break;
            case ConstructorDeclarationSyntax constructor:
                name = constructor.Identifier.ValueText;
                kind = DefinitionKinds.Constructor;
                parameterList = constructor.ParameterList;
                break;
            case DestructorDeclarationSyntax destructor:
                name = "~" + destructor.Identifier.ValueText;
                kind = DefinitionKinds.Destructor;
                break;
            case OperatorDeclarationSyntax op:
                name = ExplicitPrefix(op.ExplicitInterfaceSpecifier) + OperatorName(op.OperatorKeyword, op.CheckedKeyword, op.OperatorToken);
                kind = DefinitionKinds.Operator;
                parameterList = op.ParameterList;
                returnType = SyntaxText.Compact(op.ReturnType);
                break;
            case ConversionOperatorDeclarationSyntax conversion:
                name = ExplicitPrefix(conversion.ExplicitInterfaceSpecifier)
                    + $"{conversion.ImplicitOrExplicitKeyword.Text} {OperatorName(conversion.OperatorKeyword, conversion.CheckedKeyword, default)}{SyntaxText.Compact(conversion.Type)}";
                kind = DefinitionKinds.Operator;
                parameterList = conversion.ParameterList;
                returnType = SyntaxText.Compact(conversion.Type);
                break;
            case IndexerDeclarationSyntax indexer:
                name = ExplicitPrefix(indexer.ExplicitInterfaceSpecifier) + "this";
                kind = DefinitionKinds.Indexer;
                parameterList = indexer.ParameterList;
                returnType = SyntaxText.Compact(indexer.Type);
                break;
            case PropertyDeclarationSyntax property:
                name = ExplicitPrefix(property.ExplicitInterfaceSpecifier) + property.Identifier.ValueText;
                kind = DefinitionKinds.Property;
                returnType = SyntaxText.Compact(property.Type);
                break;
            case EventDeclarationSyntax ev:
                name = ExplicitPrefix(ev.ExplicitInterfaceSpecifier) + ev.Identifier.ValueText;
                kind = DefinitionKinds.Event;
                returnType = SyntaxText.Compact(ev.Type);
                break;
            default:
                throw new InvalidOperationException($"unexpected member {member.Kind()}");
        }
        name = name.Trim();
        if (name.Length == 0 || name.EndsWith('.') || member switch
            {
                MethodDeclarationSyntax m => IsMissing(m.Identifier),
                PropertyDeclarationSyntax p => IsMissing(p.Identifier),
                EventDeclarationSyntax e => IsMissing(e.Identifier),
                ConstructorDeclarationSyntax c => IsMissing(c.Identifier),
                DestructorDeclarationSyntax d => IsMissing(d.Identifier),
                _ => false,
            })
        {
            return null;
        }
        if (parameterList is not null && kind != DefinitionKinds.Property && kind != DefinitionKinds.Event)
        {
            signature = Signature(parameterList);
        }
        var qualifiedName = scope.Qualify(name);
        var id = NewId(qualifiedName, signature);
        var calls = new CallCollector();
        var children = new List<Definition>();
        Walk(member, new Scope(qualifiedName, ScopeKind.Function), calls, children, depth + 1);
        var modifiers = member.Modifiers;
        var (start, end) = Lines(member);
        return new Definition
        {
            Id = id,
            Kind = kind,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = start,
            EndLine = end,
            TypeParameters = TypeParameters(typeParameters),
            Parameters = Parameters(parameterList),
            ReturnType = returnType,
            Decorators = Decorators(member.AttributeLists),
            Docstring = XmlDocs.Summary(member),
            Visibility = Visibility(modifiers, MemberDefaultVisibility(scope)),
            Async = Has(modifiers, SyntaxKind.AsyncKeyword),
            Static = Has(modifiers, SyntaxKind.StaticKeyword),
            Modifiers = Modifiers(modifiers, scope.InExtensionBlock ? ["extension"] : []),
            Calls = calls.ToCalls(),
            Children = Sorted(children),
        };
    }

    /// <summary>One definition per declarator of a field or event field declaration (<c>int a, b;</c> gives two).</summary>
    private void ReadVariables(BaseFieldDeclarationSyntax declaration, VariableDeclarationSyntax variables, string kind, Scope scope, List<Definition> into, int depth)
    {
        var type = SyntaxText.Compact(variables.Type);
        var decorators = Decorators(declaration.AttributeLists);
        var docstring = XmlDocs.Summary(declaration);
        var modifiers = declaration.Modifiers;
        var (start, end) = Lines(declaration);
        foreach (var variable in variables.Variables.Where(v => !IsMissing(v.Identifier)))
        {
            var name = variable.Identifier.ValueText;
            var qualifiedName = scope.Qualify(name);
            var id = NewId(qualifiedName, null);
            var calls = new CallCollector();
            var children = new List<Definition>();
            if (variable.Initializer is not null)
            {
                Walk(variable.Initializer, new Scope(qualifiedName, ScopeKind.Function), calls, children, depth + 1);
            }
            into.Add(new Definition
            {
                Id = id,
                Kind = kind,
                Name = name,
                QualifiedName = qualifiedName,
                StartLine = start,
                EndLine = end,
                ReturnType = type,
                Decorators = decorators,
                Docstring = docstring,
                Visibility = Visibility(modifiers, MemberDefaultVisibility(scope)),
                Static = Has(modifiers, SyntaxKind.StaticKeyword),
                Modifiers = Modifiers(modifiers, scope.InExtensionBlock ? ["extension"] : []),
                Calls = calls.ToCalls(),
                Children = Sorted(children),
            });
        }
    }

    /// <summary>Top-level statements: their local functions are top-level functions; their calls are not recorded.</summary>
    private void ReadGlobalStatement(GlobalStatementSyntax statement, List<Definition> into, int depth)
    {
        Walk(statement, Scope.Root, new CallCollector(), into, depth);
    }

    private Definition ReadLocalFunction(LocalFunctionStatementSyntax function, Scope scope, int depth)
    {
        var name = function.Identifier.ValueText;
        var qualifiedName = scope.Qualify(name);
        var id = NewId(qualifiedName, null);
        var calls = new CallCollector();
        var children = new List<Definition>();
        Walk(function, new Scope(qualifiedName, ScopeKind.Function), calls, children, depth + 1);
        var (start, end) = Lines(function);
        return new Definition
        {
            Id = id,
            Kind = DefinitionKinds.Function,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = start,
            EndLine = end,
            TypeParameters = TypeParameters(function.TypeParameterList),
            Parameters = Parameters(function.ParameterList),
            ReturnType = SyntaxText.Compact(function.ReturnType),
            Decorators = Decorators(function.AttributeLists),
            Docstring = XmlDocs.Summary(function),
            Async = Has(function.Modifiers, SyntaxKind.AsyncKeyword),
            Static = Has(function.Modifiers, SyntaxKind.StaticKeyword),
            Modifiers = Modifiers(function.Modifiers),
            Calls = calls.ToCalls(),
            Children = Sorted(children),
        };
    }

    /// <summary>
    /// Walks a body iteratively (deep expressions cannot exhaust the stack): records invocations, object creations and
    /// constructor initializers into <paramref name="calls"/>, and reads local functions into <paramref name="children"/>
    /// without entering them (their calls are their own). Attributes and the root's own parameter list are skipped:
    /// they belong to the enclosing scope.
    /// </summary>
    private void Walk(SyntaxNode root, Scope scope, CallCollector calls, List<Definition> children, int depth)
    {
        bool Enter(SyntaxNode node) =>
            node == root
            || node is not (LocalFunctionStatementSyntax or AttributeListSyntax or BaseTypeDeclarationSyntax)
               && !(node is BaseParameterListSyntax && node.Parent == root);

        foreach (var node in root.DescendantNodes(Enter))
        {
            switch (node)
            {
                case LocalFunctionStatementSyntax function when !ReferenceEquals(function, root):
                    if (IsMissing(function.Identifier))
                    {
                        break;
                    }
                    if (depth > MaxDepth)
                    {
                        ReportDepth(function);
                    }
                    else
                    {
                        children.Add(ReadLocalFunction(function, scope, depth));
                    }
                    break;
                case InvocationExpressionSyntax invocation:
                    if (invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" })
                    {
                        break; // a compile-time name, not a call
                    }
                    calls.Add(SyntaxText.Callee(invocation.Expression), LineOf(invocation.ArgumentList.OpenParenToken));
                    break;
                case ObjectCreationExpressionSyntax creation:
                    calls.Add(SyntaxText.TypeName(creation.Type), LineOf(creation.NewKeyword));
                    break;
                case ConstructorInitializerSyntax initializer:
                    calls.Add(initializer.ThisOrBaseKeyword.Text, LineOf(initializer.ThisOrBaseKeyword));
                    break;
            }
        }
    }

    private int LineOf(SyntaxToken token) => _tree.GetLineSpan(token.Span).StartLinePosition.Line + 1;

    private static string ExplicitPrefix(ExplicitInterfaceSpecifierSyntax? specifier) =>
        specifier is null ? "" : SyntaxText.Compact(specifier.Name) + ".";

    private static string OperatorName(SyntaxToken operatorKeyword, SyntaxToken checkedKeyword, SyntaxToken operatorToken)
    {
        // Compact token text: "operator+", "operator true", "operator checked+", "implicit operator int".
        var name = operatorKeyword.Text;
        if (checkedKeyword.IsKind(SyntaxKind.CheckedKeyword))
        {
            name += " checked";
        }
        if (operatorToken.RawKind == 0)
        {
            return name + " ";
        }
        return SyntaxFacts.IsKeywordKind(operatorToken.Kind()) ? $"{name} {operatorToken.Text}" : name + operatorToken.Text;
    }
}
