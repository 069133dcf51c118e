using FsCheck;
using FsCheck.Xunit;

namespace LlmStruct.Parsers.Python.Tests;

/// <summary>The parser's string pool: equal texts give one instance, every text comes back with its own characters.</summary>
public sealed class TextPoolTests
{
    [Property(MaxTest = 200)]
    public void Interned_texts_keep_their_characters_and_share_one_instance(NonEmptyArray<NonNull<string>> texts)
    {
        // On a thread of its own, so the pool starts empty and grows (and this test sees no other test's texts).
        OnNewThread(() =>
        {
            var first = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in texts.Get)
            {
                string text = item.Get;
                string pooled = TextPool.Intern(text.AsSpan());
                Assert.Equal(text, pooled);
                if (text.Length > 64)
                {
                    continue; // long texts are not pooled
                }
                if (first.TryGetValue(text, out var earlier))
                {
                    Assert.Same(earlier, pooled);
                }
                else
                {
                    first[text] = pooled;
                }
            }
        });
    }

    [Fact]
    public void Many_texts_survive_growth_and_the_bound()
    {
        OnNewThread(() =>
        {
            // Past the bound (8,192 entries) the pool starts over, many times here: still the right characters, and equal texts
            // interned after that are shared again.
            for (int i = 0; i < 300_000; i++)
            {
                string text = "n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(text, TextPool.Intern(text.AsSpan()));
            }
            var a = TextPool.Intern("self".AsSpan());
            Assert.Same(a, TextPool.Intern(new string("self".ToCharArray()).AsSpan()));
            Assert.Same(a, TextPool.Intern(" self ".AsSpan(1, 4)));
            Assert.NotSame(a, TextPool.Intern("selg".AsSpan()));
            Assert.Same(string.Empty, TextPool.Intern(ReadOnlySpan<char>.Empty));
        });
    }

    // The pool is per thread: a new thread starts with an empty one. Failures come back to the test's thread.
    private static void OnNewThread(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    [Fact]
    public void The_hash_reads_every_character()
    {
        // Texts of every pooled length, changed in one character at each position, hash apart.
        for (int length = 1; length <= 64; length++)
        {
            var chars = new string('a', length).ToCharArray();
            int baseline = TextPool.Hash(chars);
            for (int at = 0; at < length; at++)
            {
                chars[at] = 'b';
                Assert.NotEqual(baseline, TextPool.Hash(chars));
                chars[at] = 'a';
            }
        }
    }
}
