using LlmStruct.Model;

namespace LlmStruct.Parsers.Python.Tests;

public sealed class ExtractionTests
{
    private const string Sample = """
        '''Module doc.

        More text.'''
        import os.path as osp, sys
        from ..pkg.sub import (name as alias, other)
        from . import sibling
        from x import *

        __all__ = ['Service', "helper"]
        LIMIT: int = 10
        count = 0
        count += 1
        a, (b, c) = 1, (2, 3)
        obj.attr = 5

        @dataclass(frozen=True)
        class Service(Base, mixins.Mixin, metaclass=ABCMeta):
            '''A service.
            Second line.'''

            class Inner:
                pass

            def __init__(self, a: int, /, b: str = "x y", *args: int, key: bool = False, **kwargs) -> None:
                self.load(a)
                self.load(b)
                os.path.join(a, b)
                def nested():
                    hidden()

            @staticmethod
            def make(): return Service()

            @classmethod
            def create(cls): ...

            @property
            def value(self) -> int:
                return self._value

            @value.setter
            def value(self, v): self._value = v

            @abstractmethod
            async def _run(self): await super().run()

            def __repr__(self): return ""

            if TYPE_CHECKING:
                def typed(self): pass

        def helper(x=default(), *, y):
            return [len(i) for i in x]

        type Pair[T] = tuple[T, T]
        """;

    private static readonly ModuleInfo Module = Py.Module(Sample);

    [Fact]
    public void ReadsModuleDocstringImportsExportsAndVariables()
    {
        Assert.Equal("Module doc.", Module.Docstring);
        Assert.Equal(["Service", "helper"], Module.Exports.ToArray());
        var imports = Module.Imports;
        Assert.Equal(5, imports.Length);
        Assert.Equal(("import", "os.path", "osp", 0), (imports[0].Kind, imports[0].Module, imports[0].Alias, imports[0].Level));
        Assert.Equal(("import", "sys"), (imports[1].Kind, imports[1].Module));
        Assert.Equal(("from", "pkg.sub", 2), (imports[2].Kind, imports[2].Module, imports[2].Level));
        Assert.Equal([("name", "alias"), ("other", null)], imports[2].Names.Select(n => (n.Name, n.Alias)));
        Assert.Equal(("", 1, "sibling"), (imports[3].Module, imports[3].Level, imports[3].Names[0].Name));
        Assert.Equal("*", imports[4].Names[0].Name);
        Assert.Equal(["__all__", "LIMIT", "count", "a", "b", "c"], Module.Variables.Select(v => v.Name));
        Assert.Equal("int", Module.Variables.Single(v => v.Name == "LIMIT").Type);
        Assert.Equal(11, Module.Variables.Single(v => v.Name == "count").Line);
    }

    [Fact]
    public void ReadsClasses()
    {
        var service = Py.Def(Module, "Service");
        Assert.Equal(DefinitionKinds.Class, service.Kind);
        Assert.Equal(["Base", "mixins.Mixin", "metaclass=ABCMeta"], service.Bases.ToArray());
        Assert.Equal(["dataclass(frozen=True)"], service.Decorators.ToArray());
        Assert.Equal("A service. Second line.", service.Docstring);
        Assert.Equal(16, service.StartLine);
        Assert.Equal(50, service.EndLine);
        Assert.Equal("m.py#Service", service.Id);
        Assert.Equal(DefinitionKinds.Class, Py.Def(Module, "Service.Inner").Kind);
    }

    [Fact]
    public void ReadsMethodsAndParameters()
    {
        var init = Py.Def(Module, "Service.__init__");
        Assert.Equal(DefinitionKinds.Method, init.Kind);
        Assert.Equal("public", init.Visibility);
        Assert.Equal("None", init.ReturnType);
        Assert.Equal(
            [("self", "positional_only", null, null), ("a", "positional_only", "int", null), ("b", "regular", "str", "\"x y\""),
             ("args", "var_positional", "int", null), ("key", "keyword_only", "bool", "False"), ("kwargs", "var_keyword", null, null)],
            init.Parameters.Select(p => (p.Name, p.Kind, p.Type, p.Default)));
        Assert.Equal([("self.load", 2), ("os.path.join", 1)], init.Calls.Select(c => (c.Callee, c.Count)));
        var nested = Py.Def(Module, "Service.__init__.nested");
        Assert.Equal(DefinitionKinds.Function, nested.Kind);
        Assert.Equal(["hidden"], nested.Calls.Select(c => c.Callee));
    }

    [Fact]
    public void ReadsDecoratorModifiers()
    {
        Assert.True(Py.Def(Module, "Service.make").Static);
        Assert.Equal(["Service"], Py.Def(Module, "Service.make").Calls.Select(c => c.Callee));
        Assert.Equal(["classmethod"], Py.Def(Module, "Service.create").Modifiers.ToArray());
        var run = Py.Def(Module, "Service._run");
        Assert.True(run.Async);
        Assert.Equal("private", run.Visibility);
        Assert.Equal(["abstractmethod"], run.Modifiers.ToArray());
        Assert.Equal(["super", "super().run"], run.Calls.Select(c => c.Callee).Order(StringComparer.Ordinal));
        Assert.Equal("public", Py.Def(Module, "Service.__repr__").Visibility);
        Assert.Equal(DefinitionKinds.Method, Py.Def(Module, "Service.typed").Kind);
    }

    [Fact]
    public void RepeatedNamesGetNumberedIds()
    {
        var values = Py.All(Module.Definitions).Where(d => d.QualifiedName == "Service.value").ToList();
        Assert.Equal(["m.py#Service.value", "m.py#Service.value~2"], values.Select(v => v.Id));
        Assert.Equal(["property"], values[0].Modifiers.ToArray());
        Assert.Equal(["value.setter"], values[1].Decorators.ToArray());
    }

    [Fact]
    public void ReadsFunctionsAndTypeAliases()
    {
        var helper = Py.Def(Module, "helper");
        Assert.Equal(DefinitionKinds.Function, helper.Kind);
        Assert.Equal([("x", "regular", "default()"), ("y", "keyword_only", null)], helper.Parameters.Select(p => (p.Name, p.Kind, p.Default)));
        // The default's call belongs to the module, not to the function.
        Assert.Equal(["len"], helper.Calls.Select(c => c.Callee));
        var pair = Py.Def(Module, "Pair");
        Assert.Equal(DefinitionKinds.TypeAlias, pair.Kind);
        Assert.Equal(["T"], pair.TypeParameters.ToArray());
        Assert.Equal("tuple[T, T]", pair.ReturnType);
    }

    [Fact]
    public void NormalizesWhitespaceInsideSourceText()
    {
        var module = Py.Module("def f(a: dict[\n    str,   int\n] = {  },\n) -> (\n  int\n): pass\n");
        var f = module.Definitions[0];
        Assert.Equal("dict[ str, int ]", f.Parameters[0].Type);
        Assert.Equal("{ }", f.Parameters[0].Default);
        Assert.Equal("int", f.ReturnType);
    }
}
