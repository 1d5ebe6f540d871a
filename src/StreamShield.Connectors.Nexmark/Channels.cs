namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// The channels bids come from, as in the reference's <c>BidGenerator</c>: four hot channels (<c>Google</c>,
/// <c>Facebook</c>, <c>Baidu</c>, <c>Apple</c>) each with a fixed URL, and 10,000 others named <c>channel-N</c>
/// whose URL carries <c>&amp;channel_id=</c> plus the bit-reversed channel number nine times in ten. The reference
/// draws those URLs from an unseeded random source when first used; here each is a pure function of its channel
/// number, built once per process on first use (about 2 MB).
/// </summary>
internal static class Channels
{
    /// <summary>Number of ordinary channels (<c>CHANNELS_NUMBER</c>).</summary>
    public const int Count = 10_000;

    /// <summary>1 in this many bids uses an ordinary channel (<c>HOT_CHANNELS_RATIO</c>: half the bids use a hot one).</summary>
    public const int HotChannelsRatio = 2;

    public static readonly string[] HotNames = ["Google", "Facebook", "Baidu", "Apple"];

    public static string[] HotUrls => Catalog.HotUrls;

    public static (string Name, string Url) Get(int channel) => Catalog.Entries[channel];

    /// <summary>Holds the tables, so they are built on the first bid rather than when the type is touched.</summary>
    private static class Catalog
    {
        public static readonly string[] HotUrls = BuildHotUrls();
        public static readonly (string Name, string Url)[] Entries = BuildEntries();

        private static string[] BuildHotUrls()
        {
            var urls = new string[HotNames.Length];
            for (var i = 0; i < urls.Length; i++)
            {
                var random = new EventRandom(-1 - i, EventRandom.ChannelStream);
                urls[i] = BaseUrl(ref random);
            }
            return urls;
        }

        private static (string, string)[] BuildEntries()
        {
            var entries = new (string, string)[Count];
            for (var channel = 0; channel < Count; channel++)
            {
                var random = new EventRandom(channel, EventRandom.ChannelStream);
                var url = BaseUrl(ref random);
                if (random.NextInt(10) > 0) url += "&channel_id=" + JavaAbs(ReverseBits(channel));
                entries[channel] = ("channel-" + channel, url);
            }
            return entries;
        }
    }

    /// <summary><c>https://www.nexmark.com/a/b/c/item.htm?query=1</c> with three short random path parts, '_' for separators.</summary>
    private static string BaseUrl(ref EventRandom random)
    {
        const string prefix = "https://www.nexmark.com/";
        const string suffix = "item.htm?query=1";
        Span<char> buffer = stackalloc char[prefix.Length + 3 * 5 + suffix.Length];
        prefix.CopyTo(buffer);
        var at = prefix.Length;
        for (var part = 0; part < 3; part++)
        {
            at += RandomStrings.Write(ref random, buffer[at..], 5, '_');
            buffer[at++] = '/';
        }
        suffix.CopyTo(buffer[at..]);
        return new string(buffer[..(at + suffix.Length)]);
    }

    /// <summary>Java's <c>Integer.reverse</c>.</summary>
    private static int ReverseBits(int value)
    {
        var x = (uint)value;
        var result = 0u;
        for (var i = 0; i < 32; i++, x >>= 1) result = (result << 1) | (x & 1);
        return (int)result;
    }

    /// <summary>Java's <c>Math.abs</c>, which leaves <see cref="int.MinValue"/> as it is.</summary>
    private static int JavaAbs(int value) => value == int.MinValue ? value : Math.Abs(value);
}
