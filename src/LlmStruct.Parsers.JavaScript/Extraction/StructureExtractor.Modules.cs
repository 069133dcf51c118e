using System.Collections.Immutable;
using Acornima.Ast;
using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.Extraction;

internal sealed partial class StructureExtractor
{
    /// <summary>Imports, exports and module variables of one top-level statement (definitions come from <see cref="Walk"/>).</summary>
    private void ReadTopLevel(Statement statement)
    {
        switch (statement)
        {
            case ImportDeclaration import:
                AddImport(new ImportInfo { Module = import.Source.Value, Kind = "import", Names = [.. import.Specifiers.Select(ImportedNameOf)], Line = Line(import) }, import);
                break;
            case ExportAllDeclaration all:
                string? alias = all.Exported is null ? null : ModuleExportName(all.Exported);
                AddImport(new ImportInfo { Module = all.Source.Value, Kind = "reexport", Names = [new ImportedName { Name = "*", Alias = alias }], Line = Line(all) }, all);
                if (alias is not null)
                {
                    _exports.Add(alias);
                }
                break;
            case ExportNamedDeclaration named:
                ReadNamedExport(named);
                break;
            case ExportDefaultDeclaration:
                _exports.Add("default");
                break;
            case VariableDeclaration declaration:
                AddVariables(declaration);
                break;
            case ExpressionStatement { Expression: AssignmentExpression assignment }:
                ReadCommonJsExport(assignment);
                break;
        }
    }

    private void ReadNamedExport(ExportNamedDeclaration named)
    {
        if (named.Source is { } source)
        {
            var names = named.Specifiers.Select(s =>
            {
                string local = ModuleExportName(s.Local), exported = ModuleExportName(s.Exported);
                return new ImportedName { Name = local, Alias = exported == local ? null : exported };
            });
            AddImport(new ImportInfo { Module = source.Value, Kind = "reexport", Names = [.. names], Line = Line(named) }, named);
        }
        foreach (var specifier in named.Specifiers)
        {
            _exports.Add(ModuleExportName(specifier.Exported));
        }
        switch (named.Declaration)
        {
            case FunctionDeclaration { Id: { } id }:
                _exports.Add(id.Name);
                break;
            case ClassDeclaration { Id: { } id }:
                _exports.Add(id.Name);
                break;
            case VariableDeclaration declaration:
                foreach (var declarator in declaration.Declarations)
                {
                    foreach (var name in BoundNames(declarator.Id))
                    {
                        _exports.Add(name.Name);
                    }
                }
                AddVariables(declaration);
                break;
        }
    }

    /// <summary><c>module.exports = {…}</c>, <c>module.exports = x</c>, <c>exports.x = …</c>, <c>module.exports.x = …</c>.</summary>
    private void ReadCommonJsExport(AssignmentExpression assignment)
    {
        // a = module.exports = b: every target in the chain counts.
        for (var current = assignment; current is not null; current = current.Right as AssignmentExpression)
        {
            if (current.Operator != Acornima.Operator.Assignment)
            {
                return;
            }
            string? target = MemberPath(current.Left);
            if (target == "module.exports")
            {
                var value = current.Right;
                while (value is AssignmentExpression chained)
                {
                    value = chained.Right;
                }
                if (value is ObjectExpression objectExpression)
                {
                    foreach (var item in objectExpression.Properties)
                    {
                        if (item is Property { Computed: false } property && property.Key is Identifier or StringLiteral)
                        {
                            _exports.Add(KeyName(property.Key, false));
                        }
                    }
                }
                else
                {
                    _exports.Add("default");
                }
            }
            else if (target is not null && (target.StartsWith("exports.", StringComparison.Ordinal) || target.StartsWith("module.exports.", StringComparison.Ordinal))
                && target.Count(c => c == '.') == (target[0] == 'e' ? 1 : 2))
            {
                _exports.Add(target[(target.LastIndexOf('.') + 1)..]);
            }
        }
    }

    private void AddVariables(VariableDeclaration declaration)
    {
        foreach (var declarator in declaration.Declarations)
        {
            if (declarator.Id is Identifier && declarator.Init is ArrowFunctionExpression or FunctionExpression or ClassExpression)
            {
                continue;
            }
            foreach (var name in BoundNames(declarator.Id))
            {
                _variables.Add(new VariableInfo { Name = name.Name, Line = Line(name) });
            }
        }
    }

    /// <summary>The identifiers a binding pattern declares, in source order.</summary>
    private static List<Identifier> BoundNames(Node pattern)
    {
        var names = new List<Identifier>();
        var stack = new Stack<Node>();
        stack.Push(pattern);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case Identifier identifier:
                    names.Add(identifier);
                    break;
                case ObjectPattern objectPattern:
                    for (int i = objectPattern.Properties.Count - 1; i >= 0; i--)
                    {
                        stack.Push(objectPattern.Properties[i] is Property p ? p.Value : objectPattern.Properties[i]);
                    }
                    break;
                case ArrayPattern arrayPattern:
                    for (int i = arrayPattern.Elements.Count - 1; i >= 0; i--)
                    {
                        if (arrayPattern.Elements[i] is { } element)
                        {
                            stack.Push(element);
                        }
                    }
                    break;
                case AssignmentPattern assignmentPattern:
                    stack.Push(assignmentPattern.Left);
                    break;
                case RestElement rest:
                    stack.Push(rest.Argument);
                    break;
            }
        }
        return names;
    }

    private static ImportedName ImportedNameOf(ImportDeclarationSpecifier specifier) => specifier switch
    {
        ImportDefaultSpecifier d => new ImportedName { Name = "default", Alias = d.Local.Name },
        ImportNamespaceSpecifier n => new ImportedName { Name = "*", Alias = n.Local.Name },
        ImportSpecifier s => ModuleExportName(s.Imported) is var name && name == s.Local.Name
            ? new ImportedName { Name = name }
            : new ImportedName { Name = ModuleExportName(s.Imported), Alias = s.Local.Name },
        _ => new ImportedName { Name = specifier.Local.Name },
    };

    private static string ModuleExportName(Expression expression) => expression switch
    {
        Identifier identifier => identifier.Name,
        StringLiteral literal => literal.Value,
        _ => "",
    };

    private void AddImport(ImportInfo import, Node node) => _imports.Add((import, node.Start));

    /// <summary><c>require('x')</c> with one string argument.</summary>
    private static bool IsRequire(Node node, out string module)
    {
        module = "";
        if (node is CallExpression { Callee: Identifier { Name: "require" }, Arguments.Count: 1 } call && LiteralText(call.Arguments[0]) is { } text)
        {
            module = text;
            return true;
        }
        return false;
    }

    private static string? LiteralText(Node node) => node switch
    {
        StringLiteral literal => literal.Value,
        TemplateLiteral { Expressions.Count: 0, Quasis.Count: 1 } template => template.Quasis[0].Value.Cooked,
        _ => null,
    };

    private static ImmutableArray<ImportedName> RequireNames(ObjectPattern pattern)
    {
        var names = ImmutableArray.CreateBuilder<ImportedName>();
        foreach (var item in pattern.Properties)
        {
            if (item is Property { Computed: false } property && property.Key is Identifier or StringLiteral)
            {
                string name = property.Key is Identifier key ? key.Name : ((StringLiteral)property.Key).Value;
                var local = property.Value is AssignmentPattern { Left: Identifier left } ? left : property.Value as Identifier;
                names.Add(new ImportedName { Name = name, Alias = local is null || local.Name == name ? null : local.Name });
            }
        }
        return names.ToImmutable();
    }

    private void AddRequire(Node call, string module, string? alias, ImmutableArray<ImportedName> names)
    {
        if (_handledRequires.Add(call.Start))
        {
            AddImport(new ImportInfo { Module = module, Kind = "require", Alias = alias, Names = names, Line = Line(call) }, call);
        }
    }

    private void RecordDynamicImport(ImportExpression import)
    {
        if (LiteralText(import.Source) is { } module)
        {
            AddImport(new ImportInfo { Module = module, Kind = "dynamic", Line = Line(import) }, import);
        }
    }

    /// <summary>Counts a call for the definition being read (module-level calls are not kept) and notes <c>require</c>.</summary>
    private void RecordCall(Node call, Expression callee, Scope scope)
    {
        if (IsRequire(call, out var module))
        {
            AddRequire(call, module, null, []);
        }
        if (scope.Owner is null || callee is FunctionExpression or ArrowFunctionExpression or ClassExpression)
        {
            return;
        }
        scope.Owner.AddCall(Text(callee), Line(callee));
    }
}
