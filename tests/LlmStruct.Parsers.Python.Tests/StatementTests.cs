namespace LlmStruct.Parsers.Python.Tests;

public sealed class StatementTests
{
    private const string AllStatements = """
        import a.b as c, d
        from ..x import (y as z, w,)
        from . import *
        global g
        x = y = 1
        x: int = 2
        x += 1
        a, *b = c
        [p, (q, r)] = s
        del a, b[0], c.d
        assert x, "msg"
        print("no longer a statement", file=None)
        if x:
            pass
        elif y:
            pass
        else:
            pass
        while x:
            break
        else:
            continue
        for i, j in pairs:
            pass
        else:
            pass
        try:
            pass
        except (A, B) as e:
            raise C from e
        except D:
            raise
        else:
            pass
        finally:
            pass
        try:
            pass
        except* ValueError as eg:
            pass
        with open(a) as f, open(b) as g:
            pass
        with (
            open(a) as f,
            open(b) as g,
        ):
            pass
        with (yield) as x:
            pass
        async def co():
            async with lock:
                await x
            async for i in aiter():
                yield i
            return [i async for i in xs]
        def gen():
            yield from range(3)
            x = yield
            nonlocal_ = lambda: (yield)
        class C(B, metaclass=M):
            def m(self): return 1
        def f[T, *Ts, **P](x: T) -> T: return x
        class G[T: int]: pass
        type Alias[K] = dict[K, int]
        type = 3
        match = 1
        match.x = 2
        case = 3
        x = 1; y = 2;
        """;

    [Fact]
    public void ParsesEveryStatementKind() => Py.Module(AllStatements);

    [Fact]
    public void BodiesOnTheHeaderLine()
    {
        var module = Py.Module("def f(): return 1\nclass C: x = 1; y = 2\nif x: a = 1\n");
        Assert.Equal(2, module.Definitions.Length);
    }

    [Theory]
    [InlineData("if x\n    pass\n", "expected ':'")]
    [InlineData("def f():\nreturn 1\n", "expected an indented block after function definition on line 1")]
    [InlineData("class C:\n\nx = 1\n", "expected an indented block after class definition on line 1")]
    [InlineData("for x in y:\npass\n", "expected an indented block after 'for' statement on line 1")]
    [InlineData("try:\n    pass\nx = 1\n", "expected 'except' or 'finally' block")]
    [InlineData("x = 1\n    y = 2\n", "unexpected indent")]
    [InlineData("from x import a,\n", "trailing comma not allowed without surrounding parentheses")]
    [InlineData("def f(a=1, b): pass\n", "non-default argument follows default argument")]
    [InlineData("def f(**k, a): pass\n", "arguments cannot follow var-keyword argument")]
    [InlineData("print 'hello'\n", "Missing parentheses in call to 'print'. Did you mean print(...)?")]
    public void RejectsBadStatements(string code, string reason) => Assert.Equal(reason, Py.Error(code).Reason);
}
