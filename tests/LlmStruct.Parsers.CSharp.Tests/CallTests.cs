using static LlmStruct.Parsers.CSharp.Tests.TestParsing;

namespace LlmStruct.Parsers.CSharp.Tests;

public class CallTests
{
    [Fact]
    public void Calls_AreCountedPerCallee_WithFirstLine()
    {
        var m = Module("""
            class C
            {
                void M()
                {
                    Console.WriteLine("a");
                    this.Load();
                    Console.WriteLine("b");
                    var list = new List<int>();
                    var x = Parse<int>("1");
                    items.Where(i => Check(i)).Select(i => i).ToList();
                    other?.Run();
                    a?.b?.C();
                    global::System.GC.Collect();
                    base.ToString();
                    var n = nameof(M);
                    Func<int> f = () => Lambda();
                    var p = new System.Text.StringBuilder().Append(1);
                }
            }
            """);
        var calls = m.Def("C.M").Calls;
        Assert.Equal(
            ["Console.WriteLine@5x2", "this.Load@6x1", "List@8x1", "Parse@9x1", "Check@10x1", "items.Where@10x1",
             "items.Where().Select@10x1", "items.Where().Select().ToList@10x1", "other?.Run@11x1", "a?.b?.C@12x1",
             "global::System.GC.Collect@13x1", "base.ToString@14x1", "Lambda@16x1", "System.Text.StringBuilder@17x1",
             "new System.Text.StringBuilder().Append@17x1"],
            calls.Select(c => $"{c.Callee}@{c.Line}x{c.Count}"));
    }

    [Fact]
    public void ConstructorInitializers_FieldInitializers_AndProperties_RecordCalls()
    {
        var m = Module("""
            class C : B
            {
                static readonly Lazy<int> Cache = new(() => Compute());
                int _x = Seed(), _y = Other();
                public C(int a) : base(Make(a)) { }
                public C() : this(1) { }
                public int P => Helper.Get(_x);
                public int Q { get { return Read(); } set { Write(value); } }
            }
            """);
        Assert.Equal(["Compute"], m.Def("C.Cache").Calls.Select(c => c.Callee));
        Assert.Equal(["Seed"], m.Def("C._x").Calls.Select(c => c.Callee));
        Assert.Equal(["Other"], m.Def("C._y").Calls.Select(c => c.Callee));
        var ctors = m.All().Where(d => d.QualifiedName == "C.C").ToList();
        Assert.Equal(["Make", "base"], ctors[0].Calls.Select(c => c.Callee).Order(StringComparer.Ordinal));
        Assert.Equal(["this"], ctors[1].Calls.Select(c => c.Callee));
        Assert.Equal(["Helper.Get"], m.Def("C.P").Calls.Select(c => c.Callee));
        Assert.Equal(["Read", "Write"], m.Def("C.Q").Calls.Select(c => c.Callee));
    }

    [Fact]
    public void MultiLineChains_UseTheLineOfTheArgumentList()
    {
        var m = Module("""
            class C
            {
                void M()
                {
                    builder
                        .Add(1)
                        .Build();
                }
            }
            """);
        Assert.Equal(["builder.Add@6", "builder.Add().Build@7"], m.Def("C.M").Calls.Select(c => $"{c.Callee}@{c.Line}"));
    }

    [Fact]
    public void ModuleLevelCalls_AreNotRecorded()
    {
        var m = Module("""
            System.Console.WriteLine(F());
            int F() => G();
            """);
        var f = Assert.Single(m.Definitions);
        Assert.Equal(["G"], f.Calls.Select(c => c.Callee));
    }
}
