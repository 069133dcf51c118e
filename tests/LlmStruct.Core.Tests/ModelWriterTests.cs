using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Core.Tests;

/// <summary>
/// The direct writer (<see cref="ModelWriter"/>) against the reference: System.Text.Json with struct.json's options,
/// laid out by <see cref="CanonicalLayout"/>. Documents are built by reflection, so every property of every record
/// is set somewhere: a property added to the model but not to the writer makes these tests fail.
/// </summary>
public class ModelWriterTests
{
    [Property(MaxTest = 300)]
    public Property RandomDocuments_GiveTheReferenceBytes() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var document = (StructDocument)new RandomModel(new Random(seed)).Build(typeof(StructDocument), 0);
            return Same(document).Label($"seed {seed}");
        });

    [Property(MaxTest = 200)]
    public Property CompactForm_IsTheReferencesCompactOutput() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var document = (StructDocument)new RandomModel(new Random(seed), full: seed % 5 == 0).Build(typeof(StructDocument), 0);
            bool same = SameBytes(() => ReferenceJson.SerializeCompact(document), () => StructJson.SerializeCompact(document));
            foreach (var module in document.Modules)
            {
                same &= SameBytes(() => ReferenceJson.SerializeCompact(module), () => StructJson.SerializeCompact(module));
                var parse = new LlmStruct.Caching.CachedParse { Module = module, Errors = document.Errors };
                same &= SameBytes(() => ReferenceJson.SerializeCompact(parse), () => StructJson.SerializeCompact(parse));
                foreach (var definition in module.Definitions)
                {
                    same &= SameBytes(() => ReferenceJson.SerializeCompact(definition), () => StructJson.SerializeCompact(definition));
                }
            }
            return same.Label($"seed {seed}");
        });

    // The same bytes, or both writers refuse the value.
    private static bool SameBytes(Func<byte[]> expected, Func<byte[]> actual)
    {
        byte[]? e = null, a = null;
        try
        {
            e = expected();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
        }
        try
        {
            a = actual();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
        }
        return e is null ? a is null : a is not null && e.AsSpan().SequenceEqual(a);
    }

    [Fact]
    public void EveryProperty_IsWritten_WhenSet()
    {
        // A document where every property of every record holds a value (no nulls, no empty arrays, flags true).
        var document = (StructDocument)new RandomModel(new Random(1), full: true).Build(typeof(StructDocument), 0);
        var text = System.Text.Encoding.UTF8.GetString(StructJson.Serialize(document));
        foreach (var type in typeof(StructDocument).Assembly.GetTypes().Where(t => t.Namespace == "LlmStruct.Model" && t.IsClass && t.IsSealed && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                Assert.Contains("\"" + System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name) + "\": ", text);
            }
        }
        Assert.True(Same(document));
    }

    [Fact]
    public void EveryCharacter_IsEscapedAsSystemTextJsonEscapesIt()
    {
        // All of the BMP in slices, and a sample of the supplementary planes (as surrogate pairs).
        var texts = new List<string>();
        for (int start = 0; start < 0x10000; start += 512)
        {
            var chars = Enumerable.Range(start, 512).Where(c => c is < 0xD800 or > 0xDFFF).Select(c => (char)c).ToArray();
            texts.Add(new string(chars));
            texts.AddRange(chars.Take(64).Select(c => "ab" + c + "cd"));
        }
        for (int code = 0x10000; code <= 0x10FFFF; code += 0x3F1)
        {
            texts.Add("x" + char.ConvertFromUtf32(code) + "y");
        }
        texts.Add(new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).ToArray()));
        var document = new StructDocument
        {
            Instructions = new InstructionSet { Base = [.. texts] },
            Modules = [new ModuleInfo { Path = "a.py", Language = "python", Sha256 = new string('0', 64), Exports = [.. texts] }],
        };
        Assert.True(Same(document));
    }

    [Fact]
    public void DeeplyNestedDefinitions_AreWrittenAndReadBack()
    {
        // Python allows 100 levels of indentation; 200 nested definitions are 400 nested JSON containers.
        var definition = new Definition { Id = "a.py#d", Kind = "function", Name = "d", QualifiedName = "d", StartLine = 1, EndLine = 1 };
        for (int i = 0; i < 200; i++)
        {
            definition = definition with { Children = [definition], Calls = [new CallInfo { Callee = "f", Line = 1 }] };
        }
        var document = new StructDocument { Modules = [new ModuleInfo { Path = "a.py", Language = "python", Sha256 = new string('0', 64), Definitions = [definition] }] };
        var bytes = StructJson.Serialize(document);
        Assert.Contains(new string(' ', 2 * 400), System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(bytes, StructJson.Serialize(StructJson.Deserialize(bytes)));
        Assert.Equal(ReferenceJson.SerializeWhole(document), bytes);
    }

    private static bool Same(StructDocument document)
    {
        byte[]? expected = null, actual = null;
        Exception? expectedError = null, actualError = null;
        try
        {
            expected = ReferenceJson.SerializeWhole(document);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            expectedError = ex;
        }
        try
        {
            actual = StructJson.Serialize(document);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            actualError = ex;
        }
        if (expectedError is not null || actualError is not null)
        {
            return expectedError is not null && actualError is not null;
        }
        return expected.AsSpan().SequenceEqual(actual);
    }

    /// <summary>Fills any model record by reflection with random values; <c>full</c> sets every property.</summary>
    internal sealed class RandomModel(Random random, bool full = false)
    {
        private static readonly string[] Pieces =
        [
            "", "a", "print", "self.load", "os.path.join", "x\"y", "back\\slash", "tab\there", "line\nbreak", "\r\n", "\u0001\u001f\u007f",
            "ünïcödé", "日本語", "\u2028\u2029", "\u200b\ufeff", "😀", "<>&'+`", "{\"json\": [1]}", "€", "\u00a0", "\ud800", "\udc00x",
        ];

        public object Build(Type type, int depth)
        {
            var value = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                property.SetValue(value, Value(property, depth));
            }
            return value;
        }

        private object? Value(PropertyInfo property, int depth)
        {
            var type = property.PropertyType;
            bool nullable = new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;
            if (nullable && !full && random.Next(3) == 0)
            {
                return null;
            }
            if (type == typeof(string))
            {
                return Text();
            }
            if (type == typeof(int))
            {
                return random.Next(4) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(0, 5000);
            }
            if (type == typeof(long) || type == typeof(long?))
            {
                return random.Next(4) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : random.NextInt64(0, 1L << 40);
            }
            if (type == typeof(bool))
            {
                return full || random.Next(2) == 0;
            }
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
            {
                var item = type.GetGenericArguments()[0];
                int count = full ? 2 : random.Next(4) == 0 ? 0 : random.Next(1, 4);
                if (item == typeof(Definition) && depth > 3)
                {
                    count = 0;
                }
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
                for (int i = 0; i < count; i++)
                {
                    list.Add(item == typeof(string) ? Text() : Build(item, depth + 1));
                }
                var create = typeof(ImmutableArray).GetMethods()
                    .Single(m => m.Name == nameof(ImmutableArray.CreateRange) && m.GetParameters().Length == 1 && m.GetParameters()[0].ParameterType.IsGenericType
                        && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                    .MakeGenericMethod(item);
                return create.Invoke(null, [list]);
            }
            if (type.IsClass)
            {
                return Build(type, depth + 1);
            }
            throw new InvalidOperationException($"no generator for {type}");
        }

        private string Text()
        {
            int parts = random.Next(0, 4);
            var text = string.Concat(Enumerable.Range(0, parts).Select(_ => Pieces[random.Next(Pieces.Length)]));
            return full && text.Length == 0 ? "x" : text;
        }
    }
}
