using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using ParseError = LlmStruct.Model.ParseError;
using Acornima.Ast;
using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Parsing;

namespace LlmStruct.Parsers.JavaScript.Extraction;

/// <summary>
/// Walks an Acornima tree into Core's model: imports, exports, module variables and definitions with their
/// parameters, calls and JSDoc. One instance reads one file; it is not shared between threads.
/// </summary>
internal sealed partial class StructureExtractor
{
    /// <summary>Deeper trees than this are not walked further (the rest of the file still is).</summary>
    internal const int MaxDepth = 4000;

    private readonly string _path;
    private readonly string _source;
    private readonly SyntaxTree _tree;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DefinitionBuilder> _topLevel = [];
    private readonly List<(ImportInfo Import, int Offset)> _imports = [];
    private readonly List<string> _exports = [];
    private readonly List<VariableInfo> _variables = [];
    private readonly HashSet<int> _handledRequires = [];
    private readonly List<ParseError> _errors = [];
    private int _depth;
    private bool _depthReported;

    private StructureExtractor(string path, string source, SyntaxTree tree, CancellationToken cancellationToken)
    {
        _path = path;
        _source = source;
        _tree = tree;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Where new definitions go and whose calls are being counted.</summary>
    /// <param name="Owner">The definition whose body is being walked; null at module level.</param>
    /// <param name="ReturnTarget">The definition a <c>return</c> belongs to; null inside callbacks and at module level.</param>
    /// <param name="ThisOwner">
    /// Where <c>this.x = function…</c> defines a member: the constructor function itself, or the class inside its
    /// <c>constructor</c>; arrows see their enclosing scope's; null elsewhere (methods, callbacks, module level).
    /// </param>
    private readonly record struct Scope(DefinitionBuilder? Owner, DefinitionBuilder? ReturnTarget, DefinitionBuilder? ThisOwner = null)
    {
        public string Prefix => Owner is null ? "" : Owner.QualifiedName + ".";
    }

    /// <summary>Reads the structure of one parsed file.</summary>
    public static (ModuleInfo Module, List<ParseError> Errors) Extract(string path, string source, SyntaxTree tree, CancellationToken cancellationToken)
    {
        var extractor = new StructureExtractor(path, source, tree, cancellationToken);
        return extractor.Run();
    }

    private (ModuleInfo, List<ParseError>) Run()
    {
        var scope = new Scope(null, null);
        foreach (var statement in _tree.Program.Body)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            ReadTopLevel(statement);
            Walk(statement, scope);
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var definitions = _topLevel
            .OrderBy(d => d.StartOffset)
            .Select(d => d.Build(_path, seen))
            .OrderBy(d => d.StartLine)
            .ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToImmutableArray();
        // 'use strict' and other directive prologues may come before the module's comment.
        var firstStatement = _tree.Program.Body.FirstOrDefault(s => s is not Directive);
        var module = new ModuleInfo
        {
            Docstring = JsDoc.ModuleDoc(_source, _tree.Comments, firstStatement?.Start ?? -1),
            Imports = [.. _imports
                .OrderBy(i => i.Import.Line)
                .ThenBy(i => i.Import.Module, StringComparer.Ordinal)
                .ThenBy(i => i.Offset)
                .Select(i => i.Import)],
            Exports = [.. _exports.Distinct(StringComparer.Ordinal)],
            Variables = [.. _variables
                .OrderBy(v => v.Line)
                .ThenBy(v => v.Name, StringComparer.Ordinal)],
            Definitions = definitions,
        };
        return (module, _errors);
    }

    /// <summary>Walks any node: definitions open a new scope, calls are counted, everything else is transparent.</summary>
    private void Walk(Node? node, Scope scope)
    {
        if (node is null)
        {
            return;
        }
        if (_depth >= MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            ReportDepth(node);
            return;
        }
        _depth++;
        try
        {
            WalkNode(node, scope);
        }
        finally
        {
            _depth--;
        }
    }

    private void ReportDepth(Node node)
    {
        if (_depthReported)
        {
            return;
        }
        _depthReported = true;
        var at = node.Location.Start;
        _errors.Add(new ParseError
        {
            File = _path,
            Line = at.Line,
            Column = at.Column + 1,
            Reason = $"nesting deeper than {MaxDepth} levels; the structure below this point was not read",
        });
    }

    private void WalkNode(Node node, Scope scope)
    {
        switch (node)
        {
            case FunctionDeclaration function:
                ReadFunction(function, function.Id?.Name ?? "default", StatementStart(function), scope);
                return;
            case ClassDeclaration declaration:
                ReadClass(declaration, declaration.Id?.Name ?? "default", StatementStart(declaration), scope);
                return;
            case ExportDefaultDeclaration { Declaration: ArrowFunctionExpression or FunctionExpression or ClassExpression } export:
                ReadValue((Expression)export.Declaration, "default", "default", export, scope);
                return;
            case ExportNamedDeclaration or ExportDefaultDeclaration:
                WalkExport(node, scope);
                return;
            case VariableDeclaration declaration:
                ReadVariableDeclaration(declaration, scope);
                return;
            case AssignmentExpression assignment when ReadAssignment(assignment, scope):
                return;
            case ClassExpression { Id: not null } classExpression:
                ReadClass(classExpression, classExpression.Id.Name, classExpression, scope);
                return;
            case ArrowFunctionExpression or FunctionExpression:
                WalkCallback((IFunction)node, scope);
                return;
            case ReturnStatement ret:
                if (scope.ReturnTarget is not null && ret.Argument is not null && IsJsx(ret.Argument))
                {
                    scope.ReturnTarget.ReturnsJsx = true;
                }
                break;
            case CallExpression call:
                RecordCall(call, call.Callee, scope);
                break;
            case NewExpression newExpression:
                RecordCall(newExpression, newExpression.Callee, scope);
                break;
            case ImportExpression import:
                RecordDynamicImport(import);
                break;
        }
        foreach (var child in node.ChildNodes)
        {
            Walk(child, scope);
        }
    }

    /// <summary>An unnamed function (a callback): its calls and definitions belong to the enclosing scope.</summary>
    private void WalkCallback(IFunction function, Scope scope)
    {
        var inner = scope with { ReturnTarget = null, ThisOwner = function is ArrowFunctionExpression ? scope.ThisOwner : null };
        foreach (var parameter in function.Params)
        {
            Walk(parameter, scope);
        }
        Walk(function.Body, inner);
    }

    /// <summary>True when <paramref name="expression"/> is JSX, or a conditional / logical expression with a JSX branch.</summary>
    private bool IsJsx(Node expression)
    {
        for (int guard = 0; guard < MaxDepth; guard++)
        {
            switch (expression)
            {
                case ArrayExpression array:
                    return _tree.JsxStarts.Contains(array.Start);
                case ConditionalExpression conditional:
                    if (IsJsx(conditional.Consequent))
                    {
                        return true;
                    }
                    expression = conditional.Alternate;
                    continue;
                case LogicalExpression logical:
                    if (IsJsx(logical.Left))
                    {
                        return true;
                    }
                    expression = logical.Right;
                    continue;
                default:
                    return false;
            }
        }
        return false;
    }

    private string Text(Node node) => TextOf.Normalize(_source, node.Start, node.End);

    private int Line(Node node) => node.Location.Start.Line;

    private int EndLine(Node node) => node.Location.End.Line;
}
