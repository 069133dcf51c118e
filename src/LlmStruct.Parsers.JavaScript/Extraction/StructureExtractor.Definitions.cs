using Acornima.Ast;
using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.Extraction;

internal sealed partial class StructureExtractor
{
    private static readonly HashSet<string> ComponentBases = new(StringComparer.Ordinal)
    {
        "Component", "PureComponent", "React.Component", "React.PureComponent",
    };

    /// <summary>The export statement wrapping the declaration being read, so that its start and JSDoc count.</summary>
    private Node? _exportWrapper;

    private Node StatementStart(Node declaration) =>
        _exportWrapper is ExportNamedDeclaration named && ReferenceEquals(named.Declaration, declaration) ? _exportWrapper
        : _exportWrapper is ExportDefaultDeclaration @default && ReferenceEquals(@default.Declaration, declaration) ? _exportWrapper
        : declaration;

    private void WalkExport(Node export, Scope scope)
    {
        var saved = _exportWrapper;
        _exportWrapper = export;
        try
        {
            foreach (var child in export.ChildNodes)
            {
                Walk(child, scope);
            }
        }
        finally
        {
            _exportWrapper = saved;
        }
    }

    private void ReadVariableDeclaration(VariableDeclaration declaration, Scope scope)
    {
        var first = StatementStart(declaration);
        bool isFirst = true;
        foreach (var declarator in declaration.Declarations)
        {
            var startNode = isFirst ? first : declarator;
            isFirst = false;
            if (declarator.Id is Identifier id && declarator.Init is { } init)
            {
                if (init is ArrowFunctionExpression or FunctionExpression or ClassExpression)
                {
                    ReadValue(init, id.Name, scope.Prefix + id.Name, startNode, scope);
                    continue;
                }
                if (init is ObjectExpression objectExpression)
                {
                    ReadObjectMembers(objectExpression, scope.Prefix + id.Name, scope);
                    continue;
                }
                if (IsRequire(init, out var module))
                {
                    AddRequire(init, module, id.Name, []);
                }
            }
            else if (declarator.Id is ObjectPattern pattern && declarator.Init is { } init2 && IsRequire(init2, out var module2))
            {
                AddRequire(init2, module2, null, RequireNames(pattern));
            }
            Walk(declarator.Id, scope);
            Walk(declarator.Init, scope);
        }
    }

    /// <summary>A function, arrow or class bound to a name (variable, property, <c>export default</c>).</summary>
    private void ReadValue(Expression value, string name, string qualifiedName, Node start, Scope scope, string kind = DefinitionKinds.Function)
    {
        switch (value)
        {
            case ClassExpression classExpression:
                ReadClassCore(classExpression, name, qualifiedName, start, scope);
                break;
            case ArrowFunctionExpression or FunctionExpression:
                ReadFunctionCore((IFunction)value, (Node)value, name, qualifiedName, start, kind, scope, maybeComponent: kind == DefinitionKinds.Function);
                break;
        }
    }

    private void ReadFunction(FunctionDeclaration function, string name, Node start, Scope scope) =>
        ReadFunctionCore(function, function, name, scope.Prefix + name, start, DefinitionKinds.Function, scope, maybeComponent: true);

    private DefinitionBuilder ReadFunctionCore(IFunction function, Node node, string name, string qualifiedName, Node start,
        string kind, Scope scope, bool maybeComponent, Node? end = null, in NodeList<Decorator> decorators = default)
    {
        var definition = NewDefinition(kind, name, qualifiedName, start, end ?? node, scope, decorators);
        definition.Async = function.Async;
        if (function.Generator)
        {
            definition.Modifiers.Add("generator");
        }
        ReadParameters(function, definition, scope);
        var thisOwner = kind == DefinitionKinds.Constructor ? scope.Owner
            : function is ArrowFunctionExpression ? scope.ThisOwner
            : kind == DefinitionKinds.Function ? definition
            : null;
        var inner = new Scope(definition, definition, thisOwner);
        if (function.Body is Expression body && IsJsx(body))
        {
            definition.ReturnsJsx = true;
        }
        Walk(function.Body, inner);
        if (maybeComponent && definition.ReturnsJsx && name.Length > 0 && name[0] is >= 'A' and <= 'Z')
        {
            definition.Kind = DefinitionKinds.Component;
        }
        return definition;
    }

    private void ReadParameters(IFunction function, DefinitionBuilder definition, Scope scope)
    {
        foreach (var parameter in function.Params)
        {
            switch (parameter)
            {
                case AssignmentPattern assignment:
                    definition.Parameters.Add(new ParameterInfo { Name = Text(assignment.Left), Default = Text(assignment.Right) });
                    break;
                case RestElement rest:
                    definition.Parameters.Add(new ParameterInfo { Name = Text(rest.Argument), Kind = ParameterKinds.VarPositional });
                    break;
                default:
                    definition.Parameters.Add(new ParameterInfo { Name = Text(parameter) });
                    break;
            }
            // Default values are evaluated in the enclosing scope.
            Walk(parameter, scope);
        }
    }

    private void ReadClass(ClassDeclaration declaration, string name, Node start, Scope scope) =>
        ReadClassCore(declaration, name, scope.Prefix + name, start, scope);

    private void ReadClass(ClassExpression expression, string name, Node start, Scope scope) =>
        ReadClassCore(expression, name, scope.Prefix + name, start, scope);

    private void ReadClassCore(IClass @class, string name, string qualifiedName, Node start, Scope scope)
    {
        var node = (Node)@class;
        foreach (var decorator in @class.Decorators)
        {
            Walk(decorator, scope);
        }
        var definition = NewDefinition(DefinitionKinds.Class, name, qualifiedName, start, node, scope, @class.Decorators);
        if (@class.SuperClass is { } superClass)
        {
            definition.Bases.Add(Text(superClass));
            Walk(superClass, scope);
        }
        var inner = new Scope(definition, null);
        foreach (var member in @class.Body.Body)
        {
            ReadClassMember(member, definition, inner);
        }
        if (definition.Bases.Count == 1 && ComponentBases.Contains(definition.Bases[0])
            && definition.Children.Any(c => c.Name == "render" && c.ReturnsJsx))
        {
            definition.Kind = DefinitionKinds.Component;
        }
    }

    private void ReadClassMember(Node member, DefinitionBuilder owner, Scope scope)
    {
        switch (member)
        {
            case MethodDefinition method:
            {
                foreach (var decorator in method.Decorators)
                {
                    Walk(decorator, scope);
                }
                if (method.Computed)
                {
                    Walk(method.Key, scope);
                }
                string name = KeyName(method.Key, method.Computed);
                var (kind, modifier) = method.Kind switch
                {
                    PropertyKind.Constructor => (DefinitionKinds.Constructor, null),
                    PropertyKind.Get => (DefinitionKinds.Property, "get"),
                    PropertyKind.Set => (DefinitionKinds.Property, "set"),
                    _ => (DefinitionKinds.Method, (string?)null),
                };
                var definition = ReadFunctionCore(method.Value, method.Value, name, owner.QualifiedName + "." + name, method, kind, scope,
                    maybeComponent: false, end: method, decorators: method.Decorators);
                ApplyMember(definition, method.Key, method.Static);
                if (modifier is not null)
                {
                    definition.Modifiers.Add(modifier);
                }
                break;
            }
            case PropertyDefinition or AccessorProperty:
            {
                var property = (ClassProperty)member;
                var decorators = member is PropertyDefinition pd ? pd.Decorators : ((AccessorProperty)member).Decorators;
                foreach (var decorator in decorators)
                {
                    Walk(decorator, scope);
                }
                if (property.Computed)
                {
                    Walk(property.Key, scope);
                }
                string name = KeyName(property.Key, property.Computed);
                DefinitionBuilder definition;
                if (property.Value is ArrowFunctionExpression or FunctionExpression)
                {
                    definition = ReadFunctionCore((IFunction)property.Value, property.Value, name, owner.QualifiedName + "." + name, member,
                        DefinitionKinds.Method, scope, maybeComponent: false, end: member, decorators: decorators);
                }
                else
                {
                    definition = NewDefinition(DefinitionKinds.Field, name, owner.QualifiedName + "." + name, member, member, scope, decorators);
                    // A field's initializer runs as part of the class: its calls count for the class.
                    Walk(property.Value, scope);
                }
                ApplyMember(definition, property.Key, property.Static);
                break;
            }
            case StaticBlock block:
                Walk(block, scope);
                break;
        }
    }

    private static void ApplyMember(DefinitionBuilder definition, Expression key, bool isStatic)
    {
        definition.Static = isStatic;
        if (key is PrivateIdentifier)
        {
            definition.Visibility = "private";
        }
    }

    private string KeyName(Expression key, bool computed) => key switch
    {
        _ when computed => "[" + Text(key) + "]",
        Identifier identifier => identifier.Name,
        PrivateIdentifier privateIdentifier => "#" + privateIdentifier.Name,
        StringLiteral literal => literal.Value,
        _ => Text(key),
    };

    /// <summary>
    /// <c>a = function…</c>, <c>a.b = function…</c> (arrows and classes too; a class takes the target's name, not its
    /// own), <c>this.x = function…</c> in a constructor function or class constructor, <c>a = {…}</c> and
    /// <c>a.b = {…}</c>; false when it is none of these. In a chain (<c>a = b = function…</c>) the innermost target
    /// names the definition.
    /// </summary>
    private bool ReadAssignment(AssignmentExpression assignment, Scope scope)
    {
        if (assignment.Operator != Acornima.Operator.Assignment || assignment.Right is not (ArrowFunctionExpression or FunctionExpression or ClassExpression or ObjectExpression))
        {
            return false;
        }
        if (assignment.Left is MemberExpression { Computed: false, Optional: false, Object: ThisExpression, Property: Identifier member }
            && scope.ThisOwner is { } thisOwner && assignment.Right is not ObjectExpression)
        {
            // The member belongs to the constructor (or class), wherever in its body the assignment is.
            ReadValue(assignment.Right, member.Name, thisOwner.QualifiedName + "." + member.Name, assignment, scope with { Owner = thisOwner },
                DefinitionKinds.Method);
            return true;
        }
        string? target = MemberPath(assignment.Left);
        if (target is null)
        {
            return false;
        }
        if (assignment.Right is ObjectExpression objectExpression)
        {
            ReadObjectMembers(objectExpression, scope.Prefix + target, scope);
            return true;
        }
        int dot = target.LastIndexOf('.');
        ReadValue(assignment.Right, target[(dot + 1)..], scope.Prefix + target, assignment, scope);
        return true;
    }

    /// <summary><c>a</c>, <c>a.b.c</c> (identifiers, no computed parts, no <c>this</c>); null otherwise.</summary>
    private static string? MemberPath(Node node)
    {
        var parts = new List<string>();
        while (true)
        {
            switch (node)
            {
                case Identifier identifier:
                    parts.Add(identifier.Name);
                    parts.Reverse();
                    return string.Join('.', parts);
                case MemberExpression { Computed: false, Optional: false, Property: Identifier property } member:
                    parts.Add(property.Name);
                    node = member.Object;
                    break;
                default:
                    return null;
            }
        }
    }

    /// <summary>Methods and function-valued properties of an object literal, named <c>prefix.key</c>.</summary>
    private void ReadObjectMembers(ObjectExpression objectExpression, string prefix, Scope scope)
    {
        foreach (var item in objectExpression.Properties)
        {
            if (item is Property { Value: FunctionExpression or ArrowFunctionExpression } property
                && (property.Computed || property.Key is Identifier or StringLiteral))
            {
                if (property.Computed)
                {
                    Walk(property.Key, scope);
                }
                string name = KeyName(property.Key, property.Computed);
                var (kind, modifier) = property.Kind switch
                {
                    PropertyKind.Get => (DefinitionKinds.Property, "get"),
                    PropertyKind.Set => (DefinitionKinds.Property, "set"),
                    _ => (DefinitionKinds.Method, (string?)null),
                };
                var definition = ReadFunctionCore((IFunction)property.Value, property.Value, name, prefix + "." + name, property, kind, scope,
                    maybeComponent: false, end: property);
                if (modifier is not null)
                {
                    definition.Modifiers.Add(modifier);
                }
            }
            else
            {
                Walk(item, scope);
            }
        }
    }

    private DefinitionBuilder NewDefinition(string kind, string name, string qualifiedName, Node start, Node end, Scope scope,
        in NodeList<Decorator> decorators = default)
    {
        int startOffset = start.Start;
        int startLine = Line(start);
        foreach (var decorator in decorators)
        {
            if (decorator.Start < startOffset)
            {
                startOffset = decorator.Start;
                startLine = Line(decorator);
            }
        }
        var definition = new DefinitionBuilder
        {
            Kind = kind,
            Name = name,
            QualifiedName = qualifiedName,
            StartLine = startLine,
            EndLine = EndLine(end),
            StartOffset = startOffset,
            Docstring = JsDoc.Before(_source, _tree.Comments, startOffset),
        };
        foreach (var decorator in decorators)
        {
            definition.Decorators.Add(Text(decorator.Expression));
        }
        (scope.Owner?.Children ?? _topLevel).Add(definition);
        return definition;
    }
}
