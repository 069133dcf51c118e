namespace LlmStruct.Parsers.Python.Tests;

/// <summary>
/// Callee and decorator texts are stored on one line: a <c># …</c> comment inside a bracketed expression that spans lines
/// is dropped (kept, it would swallow the rest of the folded text), a '#' inside a string is kept.
/// </summary>
public class CommentTextTests
{
    [Fact]
    public void DecoratorSpanningLines_DropsItsComments()
    {
        var module = Py.Module("@route(\n    '/a',  # the path\n    methods=['GET'],  # only reads\n)\ndef f():\n    pass\n");
        Assert.Equal(["route( '/a', methods=['GET'], )"], Py.Def(module, "f").Decorators.ToArray());
    }

    [Fact]
    public void CalleeSpanningLines_DropsItsComments()
    {
        var module = Py.Module("def f():\n    (a  # the receiver\n        .b)(1)\n");
        Assert.Equal(["a .b"], Py.Def(module, "f").Calls.Select(c => c.Callee));
    }

    [Fact]
    public void HashInsideStrings_IsKept_AndStringsEndWhereTheyEnd()
    {
        var module = Py.Module("@tag(\n    '#x',  # c1\n    \"it's # not\",\n    '''a\n# b''',  # c2\n    r'\\'#',  # c3\n)\ndef f():\n    pass\n");
        Assert.Equal(["tag( '#x', \"it's # not\", '''a # b''', r'\\'#', )"], Py.Def(module, "f").Decorators.ToArray());
    }

    [Fact]
    public void OneLineTexts_AreUnchanged()
    {
        var module = Py.Module("@tag('#x', y)  # trailing\ndef f():\n    pass\n");
        Assert.Equal(["tag('#x', y)"], Py.Def(module, "f").Decorators.ToArray());
    }
}
