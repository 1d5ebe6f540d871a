using StreamShield.Runtime.State;

namespace StreamShield.Tests.Checkpointing;

/// <summary>
/// Key hashes and key groups pinned to values computed outside the engine (FNV-1a over UTF-16 code units for strings,
/// the value for ints, low ^ high word for longs, then murmur3's finalizer modulo max parallelism). Savepoints store
/// state by key group: if any of these change, keys move between key groups and state written by an earlier version
/// is restored into the wrong subtask or not found. Change them only together with a savepoint migration.
/// </summary>
public sealed class KeyHasherTests
{
    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(1, 1, 55, 10423)]
    [InlineData(-1, -1, 57, 28473)]
    [InlineData(42, 42, 92, 19804)]
    [InlineData(int.MaxValue, int.MaxValue, 40, 3752)]
    [InlineData(int.MinValue, int.MinValue, 32, 26016)]
    [InlineData(123456789, 123456789, 26, 22682)]
    public void IntKeysHashToPinnedKeyGroups(int key, int hash, int keyGroupOf128, int keyGroupOf32768) =>
        AssertPinned(KeyHasher<int>.Hash(key), hash, keyGroupOf128, keyGroupOf32768, key);

    [Theory]
    [InlineData(0L, 0, 0, 0)]
    [InlineData(1L, 1, 55, 10423)]
    [InlineData(-1L, 0, 0, 0)]
    [InlineData(42L, 42, 92, 19804)]
    [InlineData(4294967296L, 1, 55, 10423)]
    [InlineData(4294967297L, 0, 0, 0)]
    [InlineData(long.MaxValue, int.MinValue, 32, 26016)]
    [InlineData(long.MinValue, int.MinValue, 32, 26016)]
    [InlineData(1234567890123L, 1912276436, 38, 9894)]
    public void LongKeysHashToPinnedKeyGroups(long key, int hash, int keyGroupOf128, int keyGroupOf32768) =>
        AssertPinned(KeyHasher<long>.Hash(key), hash, keyGroupOf128, keyGroupOf32768, key);

    [Theory]
    [InlineData("", -2128831035, 11, 31755)]
    [InlineData("a", -468965076, 51, 12723)]
    [InlineData("user-42", 39875499, 22, 4502)]
    [InlineData("StreamShield", 172657552, 121, 31481)]
    [InlineData("ünïcödé", -1662623082, 11, 1675)]
    [InlineData("😀", -885930824, 38, 9254)]
    public void StringKeysHashToPinnedKeyGroups(string key, int hash, int keyGroupOf128, int keyGroupOf32768) =>
        AssertPinned(KeyHasher<string>.Hash(key), hash, keyGroupOf128, keyGroupOf32768, key);

    [Fact]
    public void StringHashDependsOnContentNotOnTheInstance()
    {
        var built = string.Concat("user", "-", 42.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(ReferenceEquals(built, "user-42"));
        Assert.Equal(KeyHasher<string>.Hash("user-42"), KeyHasher<string>.Hash(built));
    }

    private static void AssertPinned(int actualHash, int hash, int keyGroupOf128, int keyGroupOf32768, object key)
    {
        Assert.True(actualHash == hash, $"Key {key} hashes to {actualHash}, pinned {hash}: key groups would move between versions.");
        Assert.Equal(keyGroupOf128, KeyGroupRangeAssignment.KeyGroupFor(actualHash, 128));
        Assert.Equal(keyGroupOf32768, KeyGroupRangeAssignment.KeyGroupFor(actualHash, 32768));
    }
}
