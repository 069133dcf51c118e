using LlmStruct.Model;
using static LlmStruct.Parsers.CSharp.Tests.TestParsing;

namespace LlmStruct.Parsers.CSharp.Tests;

public class DeclarationTests
{
    [Fact]
    public void BlockNamespace_HoldsTypes_AndQualifiesNames()
    {
        var m = Module("""
            namespace Ns.Sub
            {
                public class C
                {
                    public void M() { }
                }
            }
            """);
        var ns = Assert.Single(m.Definitions);
        Assert.Equal(DefinitionKinds.Namespace, ns.Kind);
        Assert.Equal("Ns.Sub", ns.Name);
        Assert.Equal("src/A.cs#Ns.Sub", ns.Id);
        Assert.Equal((1, 7), (ns.StartLine, ns.EndLine));
        var c = Assert.Single(ns.Children);
        Assert.Equal("Ns.Sub.C", c.QualifiedName);
        var method = Assert.Single(c.Children);
        Assert.Equal("src/A.cs#Ns.Sub.C.M()", method.Id);
        Assert.Equal(DefinitionKinds.Method, method.Kind);
    }

    [Fact]
    public void FileScopedNamespace_AndNestedNamespaces()
    {
        var m = Module("""
            namespace Outer;

            class A { }

            struct B { }
            """);
        var ns = Assert.Single(m.Definitions);
        Assert.Equal("Outer", ns.QualifiedName);
        Assert.Equal(["Outer.A", "Outer.B"], ns.Children.Select(c => c.QualifiedName));
        Assert.Equal(5, ns.EndLine);

        var nested = Module("namespace A { namespace B.C { class D { } } }");
        Assert.Equal("A.B.C.D", nested.Def("A.B.C.D").QualifiedName);
        Assert.Equal("B.C", nested.Def("A.B.C").Name);
    }

    [Fact]
    public void TypeKinds_RecordStruct_Enum_Delegate()
    {
        var m = Module("""
            class K { }
            struct S { }
            interface I { }
            record R(int X, string Y = "y");
            record class RC;
            readonly record struct RS(int A);
            enum E : byte { One = 1, Two }
            delegate T D<T>(int a, ref T b);
            """);
        Assert.Equal(DefinitionKinds.Class, m.Def("K").Kind);
        Assert.Equal(DefinitionKinds.Struct, m.Def("S").Kind);
        Assert.Equal(DefinitionKinds.Interface, m.Def("I").Kind);
        var r = m.Def("R");
        Assert.Equal(DefinitionKinds.Record, r.Kind);
        Assert.Equal(["X", "Y"], r.Parameters.Select(p => p.Name));
        Assert.Equal("\"y\"", r.Parameters[1].Default);
        Assert.Empty(m.Def("RC").Modifiers.ToArray());
        var rs = m.Def("RS");
        Assert.Equal(DefinitionKinds.Record, rs.Kind);
        Assert.Equal(["readonly", "struct"], rs.Modifiers.ToArray());
        var e = m.Def("E");
        Assert.Equal(DefinitionKinds.Enum, e.Kind);
        Assert.Equal(["byte"], e.Bases.ToArray());
        Assert.Equal(["E.One", "E.Two"], e.Children.Select(c => c.QualifiedName));
        Assert.All(e.Children, c => Assert.Equal((DefinitionKinds.EnumMember, "public"), (c.Kind, c.Visibility)));
        var d = m.Def("D");
        Assert.Equal(DefinitionKinds.Delegate, d.Kind);
        Assert.Equal("src/A.cs#D(int,ref T)", d.Id);
        Assert.Equal(["T"], d.TypeParameters.ToArray());
        Assert.Equal("T", d.ReturnType);
        Assert.Equal(ParameterKinds.Ref, d.Parameters[1].Kind);
    }

    [Fact]
    public void Bases_TypeParameters_Attributes_AndStartLineIncludesAttributes()
    {
        var m = Module("""
            /// <summary>Doc.</summary>
            [Serializable, Obsolete("old")]
            [return: NotNull]
            public sealed partial class C<TKey, out TValue> : Base<TKey>, IDisposable where TKey : notnull
            {
            }
            """);
        var c = m.Def("C");
        Assert.Equal(2, c.StartLine);
        Assert.Equal(6, c.EndLine);
        Assert.Equal(["Serializable", "Obsolete(\"old\")", "return: NotNull"], c.Decorators.ToArray());
        Assert.Equal(["Base<TKey>", "IDisposable"], c.Bases.ToArray());
        Assert.Equal(["TKey", "TValue"], c.TypeParameters.ToArray());
        Assert.Equal(["partial", "sealed"], c.Modifiers.ToArray());
        Assert.Equal("public", c.Visibility);
        Assert.Equal("Doc.", c.Docstring);
    }

    [Fact]
    public void Members_AllKinds()
    {
        var m = Module("""
            namespace N;
            public class C : IDisposable
            {
                public C() { }
                static C() { }
                ~C() { }
                public int P { get; set; } = 3;
                public string this[int i, string s] => "";
                public event EventHandler? Changed;
                public event EventHandler Other { add { } remove { } }
                public static C operator +(C a, C b) => a;
                public static bool operator true(C c) => true;
                public static bool operator false(C c) => false;
                public static implicit operator int(C c) => 0;
                void IDisposable.Dispose() { }
                private const int Max = 3, Min = 1;
                internal static readonly string Name = "x";
                protected internal volatile int Counter;
                private protected int Guarded;
            }
            """);
        var c = m.Def("N.C");
        string[] expected =
        [
            "src/A.cs#N.C.C()", "src/A.cs#N.C.C()~2", "src/A.cs#N.C.~C", "src/A.cs#N.C.P", "src/A.cs#N.C.this[int,string]",
            "src/A.cs#N.C.Changed", "src/A.cs#N.C.Other", "src/A.cs#N.C.operator+(C,C)", "src/A.cs#N.C.operator true(C)",
            "src/A.cs#N.C.operator false(C)", "src/A.cs#N.C.implicit operator int(C)", "src/A.cs#N.C.IDisposable.Dispose()",
            "src/A.cs#N.C.Max", "src/A.cs#N.C.Min", "src/A.cs#N.C.Name", "src/A.cs#N.C.Counter", "src/A.cs#N.C.Guarded",
        ];
        Assert.Equal(expected, c.Children.Select(d => d.Id));
        Assert.Equal(
            [DefinitionKinds.Constructor, DefinitionKinds.Constructor, DefinitionKinds.Destructor, DefinitionKinds.Property, DefinitionKinds.Indexer,
             DefinitionKinds.Event, DefinitionKinds.Event, DefinitionKinds.Operator, DefinitionKinds.Operator, DefinitionKinds.Operator,
             DefinitionKinds.Operator, DefinitionKinds.Method, DefinitionKinds.Field, DefinitionKinds.Field, DefinitionKinds.Field,
             DefinitionKinds.Field, DefinitionKinds.Field],
            c.Children.Select(d => d.Kind));
        Assert.True(c.Children[1].Static);
        Assert.Equal("int", m.Def("N.C.P").ReturnType);
        Assert.Equal("string", m.Def("N.C.this").ReturnType);
        Assert.Equal(["i", "s"], m.Def("N.C.this").Parameters.Select(p => p.Name));
        Assert.Equal("EventHandler?", m.Def("N.C.Changed").ReturnType);
        Assert.Equal(["const"], m.Def("N.C.Max").Modifiers.ToArray());
        Assert.Equal("private", m.Def("N.C.Max").Visibility);
        var name = m.Def("N.C.Name");
        Assert.True(name.Static);
        Assert.Equal(["readonly"], name.Modifiers.ToArray());
        Assert.Equal("internal", name.Visibility);
        Assert.Equal(("protected_internal", "volatile"), (m.Def("N.C.Counter").Visibility, m.Def("N.C.Counter").Modifiers.Single()));
        Assert.Equal("private_protected", m.Def("N.C.Guarded").Visibility);
        Assert.Equal("private", m.Def("N.C.IDisposable.Dispose").Visibility);
        Assert.Equal("int", m.Def("N.C.implicit operator int").ReturnType);
    }

    [Fact]
    public void Overloads_GetDistinctIds_AndPartialDuplicatesGetSuffix()
    {
        var m = Module("""
            partial class C
            {
                void M(int a) { }
                void M(string a, params object[] rest) { }
                void M(ref int a) { }
                void M(System.Collections.Generic.Dictionary<string, int> d) { }
                void M((int a, int b) t) { }
                void G<T>(T t) { }
            }
            partial class C
            {
                void M(int a) { }
            }
            """);
        Assert.Equal(
            ["src/A.cs#C", "src/A.cs#C.M(int)", "src/A.cs#C.M(string,object[])", "src/A.cs#C.M(ref int)",
             "src/A.cs#C.M(System.Collections.Generic.Dictionary<string,int>)", "src/A.cs#C.M((int a,int b))",
             "src/A.cs#C.G(T)", "src/A.cs#C~2", "src/A.cs#C.M(int)~2"],
            m.All().Select(d => d.Id));
        Assert.Equal(ParameterKinds.VarPositional, m.All().Single(d => d.Id.EndsWith("object[])", StringComparison.Ordinal)).Parameters[1].Kind);
    }

    [Fact]
    public void Parameters_KindsTypesDefaults()
    {
        var m = Module("""
            static class X
            {
                public static void M(this string s, ref int r, out int o, in int i, ref readonly int rr, scoped ref int sr, params int[] p) { o = 0; }
                static void D(int a = 1, string b = "x", object? c = null, int d = -1 + 2) { }
            }
            """);
        var ps = m.Def("X.M").Parameters;
        Assert.Equal(
            [ParameterKinds.This, ParameterKinds.Ref, ParameterKinds.Out, ParameterKinds.In, ParameterKinds.In, ParameterKinds.Ref, ParameterKinds.VarPositional],
            ps.Select(p => p.Kind));
        Assert.Equal("int[]", ps[^1].Type);
        var ds = m.Def("X.D").Parameters;
        Assert.Equal(["1", "\"x\"", "null", "-1 + 2"], ds.Select(p => p.Default));
        Assert.Equal("object?", ds[2].Type);
        Assert.Equal("void", m.Def("X.D").ReturnType);
    }

    [Fact]
    public void Visibility_Defaults()
    {
        var m = Module("""
            class Top
            {
                void M() { }
                class Nested { }
                int f;
            }
            interface I
            {
                void M();
                int P { get; }
                private void Q() { }
                class InInterface { }
            }
            struct S { void M() { } }
            """);
        Assert.Equal("internal", m.Def("Top").Visibility);
        Assert.Equal("private", m.Def("Top.M").Visibility);
        Assert.Equal("private", m.Def("Top.Nested").Visibility);
        Assert.Equal("private", m.Def("Top.f").Visibility);
        Assert.Equal("public", m.Def("I.M").Visibility);
        Assert.Equal("public", m.Def("I.P").Visibility);
        Assert.Equal("private", m.Def("I.Q").Visibility);
        Assert.Equal("public", m.Def("I.InInterface").Visibility);
        Assert.Equal("private", m.Def("S.M").Visibility);
    }

    [Fact]
    public void AsyncStaticAndModifiers()
    {
        var m = Module("""
            abstract class A
            {
                public abstract void Ab();
                public virtual async Task V() { await Task.Yield(); }
                public static extern void Ext();
                public unsafe void U() { }
                public new required int Req { get; init; }
                protected sealed override string ToString() => "";
            }
            """);
        Assert.Equal(["abstract"], m.Def("A.Ab").Modifiers.ToArray());
        var v = m.Def("A.V");
        Assert.True(v.Async);
        Assert.Equal(["virtual"], v.Modifiers.ToArray());
        Assert.Equal("Task", v.ReturnType);
        Assert.True(m.Def("A.Ext").Static);
        Assert.Equal(["extern"], m.Def("A.Ext").Modifiers.ToArray());
        Assert.Equal(["unsafe"], m.Def("A.U").Modifiers.ToArray());
        Assert.Equal(["new", "required"], m.Def("A.Req").Modifiers.ToArray());
        Assert.Equal(["override", "sealed"], m.Def("A.ToString").Modifiers.ToArray());
        Assert.Equal("protected", m.Def("A.ToString").Visibility);
    }

    [Fact]
    public void LocalFunctions_AreChildrenOfTheirMember_AndTopLevelOnesAreFunctions()
    {
        var m = Module("""
            using System;
            Console.WriteLine(Twice(2));
            static int Twice(int x) => x * 2;

            class C
            {
                int Outer()
                {
                    return Inner(1);
                    int Inner(int a)
                    {
                        return Deeper();
                        static int Deeper() => 3;
                    }
                }
                int P { get { return Local(); int Local() => 1; } }
            }
            """);
        var twice = m.Def("Twice");
        Assert.Equal(DefinitionKinds.Function, twice.Kind);
        Assert.True(twice.Static);
        Assert.Null(twice.Visibility);
        var inner = m.Def("C.Outer.Inner");
        Assert.Equal(DefinitionKinds.Function, inner.Kind);
        Assert.Equal("src/A.cs#C.Outer.Inner", inner.Id);
        Assert.Equal((10, 14), (inner.StartLine, inner.EndLine));
        Assert.Equal(["Inner"], m.Def("C.Outer").Calls.Select(c => c.Callee));
        Assert.Equal(["Deeper"], inner.Calls.Select(c => c.Callee));
        Assert.Equal("C.Outer.Inner.Deeper", Assert.Single(inner.Children).QualifiedName);
        Assert.Equal("C.P.Local", Assert.Single(m.Def("C.P").Children).QualifiedName);
    }

    [Fact]
    public void ExtensionBlocks_AreFlattenedIntoTheirClass()
    {
        var m = Module("""
            static class E
            {
                extension(string s)
                {
                    public bool IsBlank() => string.IsNullOrWhiteSpace(s);
                }
            }
            """);
        var blank = m.Def("E.IsBlank");
        Assert.Equal(["extension"], blank.Modifiers.ToArray());
        Assert.Equal("public", blank.Visibility);
    }
}
