#if !NET9_0_OR_GREATER
// What the library uses of .NET 9 and later, for its net8.0 build: nothing here is compiled for net10.0.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ContentEngine.Runtime.Compatibility
{
    internal static class Net8Extensions
    {
        extension(Convert)
        {
            /// <summary>Convert.ToHexStringLower of .NET 9.</summary>
            public static string ToHexStringLower(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
        }

        extension(JsonElement)
        {
            /// <summary>JsonElement.DeepEquals of .NET 9: the same value, properties in any order, numbers by value.</summary>
            public static bool DeepEquals(JsonElement a, JsonElement b)
            {
                if (a.ValueKind != b.ValueKind) return false;
                switch (a.ValueKind)
                {
                    case JsonValueKind.Object:
                        var left = a.EnumerateObject().ToList();
                        var right = b.EnumerateObject().ToList();
                        return left.Count == right.Count && left.All(p => right.Count(q => q.Name == p.Name) == 1
                            && right.Single(q => q.Name == p.Name) is var match && DeepEquals(p.Value, match.Value));
                    case JsonValueKind.Array:
                        return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(x => DeepEquals(x.First, x.Second));
                    case JsonValueKind.String:
                        return a.GetString() == b.GetString();
                    case JsonValueKind.Number:
                        return a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetDouble().Equals(b.GetDouble());
                    default:
                        return true;
                }
            }
        }

        extension(JsonWriterOptions options)
        {
            /// <summary>
            /// JsonWriterOptions.NewLine of .NET 9, which .NET 8 lacks: its indented JSON ends lines as the system does
            /// ("\n" on Linux and macOS). JSON readers take either.
            /// </summary>
            public string NewLine
            {
                get => Environment.NewLine;
                set { }
            }
        }
    }
}

namespace System.Collections.Generic
{
    /// <summary>The part of .NET 9's OrderedDictionary the library uses: a dictionary that enumerates in insertion order.</summary>
    internal sealed class OrderedDictionary<TKey, TValue>(IEqualityComparer<TKey>? comparer) : IReadOnlyDictionary<TKey, TValue>
        where TKey : notnull
    {
        private readonly Dictionary<TKey, int> _index = new(comparer);
        private readonly List<KeyValuePair<TKey, TValue>> _items = [];

        public OrderedDictionary() : this(null) { }

        public int Count => _items.Count;

        public IEnumerable<TKey> Keys => _items.Select(i => i.Key);

        public IEnumerable<TValue> Values => _items.Select(i => i.Value);

        public TValue this[TKey key]
        {
            get => _items[_index[key]].Value;
            set
            {
                if (_index.TryGetValue(key, out var at)) _items[at] = new(key, value);
                else Add(key, value);
            }
        }

        public void Add(TKey key, TValue value)
        {
            _index.Add(key, _items.Count);
            _items.Add(new(key, value));
        }

        public bool TryAdd(TKey key, TValue value)
        {
            if (_index.ContainsKey(key)) return false;
            Add(key, value);
            return true;
        }

        public bool ContainsKey(TKey key) => _index.ContainsKey(key);

        public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
        {
            if (_index.TryGetValue(key, out var at))
            {
                value = _items[at].Value;
                return true;
            }
            value = default;
            return false;
        }

        public bool Remove(TKey key)
        {
            if (!_index.Remove(key, out var at)) return false;
            _items.RemoveAt(at);
            for (var i = at; i < _items.Count; i++) _index[_items[i].Key] = i;
            return true;
        }

        public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
#endif
