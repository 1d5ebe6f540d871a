using StreamShield.Connectors.Nexmark;

namespace StreamShield.Tests.Connectors.Nexmark;

/// <summary>
/// The generator is a pure function of the options and the event number, keeps the reference's proportions, id
/// arithmetic, hot ratios and average sizes, and only refers to people and auctions that exist or are about to.
/// </summary>
public sealed class NexmarkGeneratorTests
{
    private const long PersonIdLead = 10;   // the reference's PERSON_ID_LEAD
    private const long AuctionIdLead = 10;  // the reference's AUCTION_ID_LEAD

    public static TheoryData<string> OptionSets() => ["default", "out-of-order", "generators", "sine", "small"];

    private static NexmarkOptions Options(string name) => name switch
    {
        "default" => NexmarkOptions.Default,
        "out-of-order" => NexmarkOptions.Default with { OutOfOrderGroupSize = 100 },
        "generators" => NexmarkOptions.Default with { NumEventGenerators = 3 },
        "sine" => NexmarkOptions.Default with { RateShape = RateShape.Sine, FirstEventRate = 20_000, NextEventRate = 2_000, RatePeriodSec = 10 },
        "small" => NexmarkOptions.Default with { AvgPersonByteSize = 10, AvgAuctionByteSize = 10, AvgBidByteSize = 10, NumActivePeople = 50, NumInFlightAuctions = 300 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void TwoGeneratorsWithEqualOptionsProduceIdenticalEventsInAnyOrder(string optionSet)
    {
        var first = new NexmarkGenerator(Options(optionSet));
        var second = new NexmarkGenerator(Options(optionSet) with { }); // an equal copy, not the same instance
        const int count = 20_000;
        var forward = first.Generate(0, count).ToList();
        for (var n = count - 1; n >= 0; n--) Assert.Equal(forward[n], second.Generate(n));
        Assert.Equal(forward, first.Generate(0, count));
    }

    [Fact]
    public void DifferentEventNumbersGiveDifferentContent()
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default);
        var extras = generator.Generate(0, 5_000).Select(e => e.Bid?.Extra ?? e.NewAuction?.Extra ?? e.NewPerson!.Extra).ToList();
        Assert.True(extras.Distinct().Count() > 4_990, "per-event random sources must not repeat");
    }

    [Fact]
    public void ChangingOnlyTheBaseTimeShiftsEveryTimeAndNothingElse()
    {
        const long shift = 86_400_000 + 17;
        var original = new NexmarkGenerator(NexmarkOptions.Default);
        var shifted = new NexmarkGenerator(NexmarkOptions.Default with { BaseTime = NexmarkOptions.DefaultBaseTime + shift });
        for (var n = 0; n < 5_000; n++)
        {
            var e = original.Generate(n);
            var expected = e.Type switch
            {
                EventType.Person => Event.Of(e.NewPerson! with { DateTime = e.NewPerson.DateTime + shift }),
                EventType.Auction => Event.Of(e.NewAuction! with { DateTime = e.NewAuction.DateTime + shift, Expires = e.NewAuction.Expires + shift }),
                _ => Event.Of(e.Bid! with { DateTime = e.Bid.DateTime + shift }),
            };
            Assert.Equal(expected, shifted.Generate(n));
        }
    }

    [Fact]
    public void EveryWindowOfFiftyEventsHoldsOnePersonThreeAuctionsAndFortySixBids()
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default);
        for (long window = 0; window < 2_000; window++)
        {
            var types = generator.Generate(window * 50, 50).Select(e => e.Type).ToList();
            Assert.Equal(EventType.Person, types[0]);
            Assert.All(types.Skip(1).Take(3), t => Assert.Equal(EventType.Auction, t));
            Assert.All(types.Skip(4), t => Assert.Equal(EventType.Bid, t));
        }
    }

    [Theory]
    [InlineData(2, 5, 13)]
    [InlineData(1, 1, 0)]
    [InlineData(3, 1, 1)]
    public void CustomProportionsHoldInEveryRun(int persons, int auctions, int bids)
    {
        var generator = new NexmarkGenerator(NexmarkOptions.Default with { PersonProportion = persons, AuctionProportion = auctions, BidProportion = bids });
        var run = persons + auctions + bids;
        for (long window = 0; window < 500; window++)
        {
            var events = generator.Generate(window * run, run).ToList();
            Assert.Equal(persons, events.Count(e => e.Type == EventType.Person));
            Assert.Equal(auctions, events.Count(e => e.Type == EventType.Auction));
            Assert.Equal(bids, events.Count(e => e.Type == EventType.Bid));
            Assert.All(events, (e, i) => Assert.Equal(e.Type, generator.TypeOf(window * run + i)));
        }
    }

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void IdsAreConsecutiveAndReferencesPointAtPeopleAndAuctionsThatExistOrAreAboutTo(string optionSet)
    {
        var options = Options(optionSet);
        var generator = new NexmarkGenerator(options);
        // The reference's id arithmetic is defined in event-id order; with out-of-order groups that is a
        // permutation of event numbers within each group.
        const long count = 200_000;
        var events = new List<(long Id, Event Event)>();
        for (long n = 0; n < count; n++) events.Add((generator.EventIdOf(n), generator.Generate(n)));
        Assert.Equal(Enumerable.Range(0, (int)count).Select(i => (long)i), events.Select(x => x.Id).Order());

        long lastPerson = 999, lastAuction = 999;
        long bids = 0, bidsOnExistingAuctions = 0, references = 0, referencesToExistingPeople = 0;
        foreach (var (_, e) in events.OrderBy(x => x.Id))
        {
            switch (e.Type)
            {
                case EventType.Person:
                    Assert.Equal(++lastPerson, e.NewPerson!.Id);
                    break;
                case EventType.Auction:
                    var auction = e.NewAuction!;
                    Assert.Equal(++lastAuction, auction.Id);
                    AssertActivePerson(auction.Seller);
                    Assert.InRange(auction.Category, 10, 14);
                    Assert.True(auction.InitialBid > 0 && auction.Reserve >= auction.InitialBid, $"prices of {auction}");
                    Assert.True(auction.Expires > auction.DateTime, $"auction {auction.Id} expires before it opens");
                    break;
                case EventType.Bid:
                    var bid = e.Bid!;
                    bids++;
                    // A hot auction (the first of the latest 100) or one of the last NumInFlightAuctions, or a lead.
                    var oldestInFlight = Math.Max(1000, lastAuction - Math.Max(99, options.NumInFlightAuctions));
                    Assert.InRange(bid.Auction, oldestInFlight, lastAuction + AuctionIdLead);
                    if (bid.Auction <= lastAuction) bidsOnExistingAuctions++;
                    AssertActivePerson(bid.Bidder);
                    Assert.True(bid.Price > 0);
                    break;
            }
        }
        Assert.Equal(1000 + count / 50 - 1, lastPerson);
        Assert.Equal(1000 + count / 50 * 3 - 1, lastAuction);
        Assert.True(bidsOnExistingAuctions > 0.9 * bids, $"only {bidsOnExistingAuctions} of {bids} bids are on auctions that exist");
        Assert.True(referencesToExistingPeople > 0.9 * references, $"only {referencesToExistingPeople} of {references} references are to people who exist");

        void AssertActivePerson(long person)
        {
            references++;
            // A hot person (of the latest batch of 100) or one of the last NumActivePeople, or a lead.
            var oldestActive = Math.Max(1000, lastPerson + 1 - Math.Max(100, options.NumActivePeople));
            Assert.InRange(person, oldestActive, lastPerson + PersonIdLead);
            if (person <= lastPerson) referencesToExistingPeople++;
        }
    }

    [Fact]
    public void HotAuctionsBiddersAndSellersFollowTheirRatios()
    {
        var events = new NexmarkGenerator(NexmarkOptions.Default).Generate(0, 500_000).ToList();
        var bids = events.Where(e => e.Type == EventType.Bid).Select(e => e.Bid!).ToList();
        var auctions = events.Where(e => e.Type == EventType.Auction).Select(e => e.NewAuction!).ToList();

        // Hot auction: the first of the latest batch of 100 (probability 1 - 1/2, plus random picks that land on one).
        AssertFraction(bids.Count(b => (b.Auction - 1000) % 100 == 0), bids.Count, 0.5, 0.52);
        // Hot bidder: the second person of the latest batch of 100 (1 - 1/4).
        AssertFraction(bids.Count(b => (b.Bidder - 1000) % 100 == 1), bids.Count, 0.75, 0.76);
        // Hot seller: the first person of the latest batch of 100 (1 - 1/4).
        AssertFraction(auctions.Count(a => (a.Seller - 1000) % 100 == 0), auctions.Count, 0.75, 0.76);
        // Half the bids come from the four hot channels.
        string[] hot = ["Google", "Facebook", "Baidu", "Apple"];
        AssertFraction(bids.Count(b => hot.Contains(b.Channel)), bids.Count, 0.5, 0.5);

        static void AssertFraction(long count, long total, double low, double high)
        {
            var fraction = (double)count / total;
            Assert.True(fraction > low - 0.01 && fraction < high + 0.01, $"fraction {fraction:F4} outside [{low}, {high}] ± 0.01");
        }
    }

    [Fact]
    public void ChannelsAreHotOrNumberedAndEachHasOneUrl()
    {
        var bids = new NexmarkGenerator(NexmarkOptions.Default).Generate(0, 200_000).Where(e => e.Type == EventType.Bid).Select(e => e.Bid!).ToList();
        Assert.All(bids, b =>
        {
            Assert.StartsWith("https://www.nexmark.com/", b.Url, StringComparison.Ordinal);
            Assert.Contains("item.htm?query=1", b.Url, StringComparison.Ordinal);
            if (b.Channel.StartsWith("channel-", StringComparison.Ordinal))
                Assert.InRange(int.Parse(b.Channel["channel-".Length..], System.Globalization.CultureInfo.InvariantCulture), 0, 9_999);
            else
                Assert.Contains(b.Channel, new[] { "Google", "Facebook", "Baidu", "Apple" });
        });
        Assert.All(bids.GroupBy(b => b.Channel), g => Assert.Single(g.Select(b => b.Url).Distinct()));
        var numbered = bids.Where(b => b.Channel.StartsWith("channel-", StringComparison.Ordinal)).ToList();
        var withId = numbered.Count(b => b.Url.Contains("&channel_id=", StringComparison.Ordinal));
        Assert.InRange((double)withId / numbered.Count, 0.85, 0.95); // nine in ten channel URLs carry the id
    }

    [Fact]
    public void ExtraPaddingBringsEventsToTheirAverageSizes()
    {
        var options = NexmarkOptions.Default;
        var events = new NexmarkGenerator(options).Generate(0, 300_000).ToList();
        // The reference's idealized size: 8 bytes per number plus the characters of each string.
        var persons = events.Where(e => e.Type == EventType.Person).Select(e => e.NewPerson!)
            .Select(p => 8 + p.Name.Length + p.EmailAddress.Length + p.CreditCard.Length + p.City.Length + p.State.Length + p.Extra.Length).ToList();
        var auctions = events.Where(e => e.Type == EventType.Auction).Select(e => e.NewAuction!)
            .Select(a => 8 + a.ItemName.Length + a.Description.Length + 40 + a.Extra.Length).ToList();
        var bids = events.Where(e => e.Type == EventType.Bid).Select(e => 32 + e.Bid!.Extra.Length).ToList();

        Assert.InRange(persons.Average(), options.AvgPersonByteSize * 0.98, options.AvgPersonByteSize * 1.02);
        Assert.InRange(auctions.Average(), options.AvgAuctionByteSize * 0.98, options.AvgAuctionByteSize * 1.02);
        Assert.InRange(bids.Average(), options.AvgBidByteSize * 0.98, options.AvgBidByteSize * 1.02);
        // ±20% of the padding around its mean, as in the reference's nextExtra.
        Assert.InRange(bids.Min(), 32 + 54, 32 + 56);
        Assert.InRange(bids.Max(), 32 + 79, 32 + 81);
    }

    [Fact]
    public void PersonFieldsHaveTheReferenceShapes()
    {
        var people = new NexmarkGenerator(NexmarkOptions.Default).Generate(0, 100_000).Where(e => e.Type == EventType.Person).Select(e => e.NewPerson!).ToList();
        Assert.All(people, p =>
        {
            Assert.Matches(@"^\d{4} \d{4} \d{4} \d{4}$", p.CreditCard);
            Assert.Matches(@"^([a-z]([a-z ]*[a-z])?)?@([a-z]([a-z ]*[a-z])?)?\.com$", p.EmailAddress);
            Assert.Contains(p.State, new[] { "AZ", "CA", "ID", "OR", "WA", "WY" });
            Assert.Equal(2, p.Name.Split(' ').Length);
        });
        Assert.Equal(10, people.Select(p => p.City).Distinct().Count());
    }

    [Theory]
    [InlineData(nameof(NexmarkOptions.FirstEventRate))]
    [InlineData(nameof(NexmarkOptions.HotAuctionRatio))]
    [InlineData(nameof(NexmarkOptions.AuctionProportion))]
    [InlineData(nameof(NexmarkOptions.OutOfOrderGroupSize))]
    [InlineData(nameof(NexmarkOptions.MaxEvents))]
    public void AnOptionOutOfRangeIsRejectedByName(string option)
    {
        var options = option switch
        {
            nameof(NexmarkOptions.FirstEventRate) => NexmarkOptions.Default with { FirstEventRate = 0 },
            nameof(NexmarkOptions.HotAuctionRatio) => NexmarkOptions.Default with { HotAuctionRatio = 0 },
            nameof(NexmarkOptions.AuctionProportion) => NexmarkOptions.Default with { AuctionProportion = 0 },
            nameof(NexmarkOptions.OutOfOrderGroupSize) => NexmarkOptions.Default with { OutOfOrderGroupSize = 0 },
            _ => NexmarkOptions.Default with { MaxEvents = -1 },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NexmarkGenerator(options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains($"Nexmark option {option}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutOfOrderGroupThatWouldRepeatEventIdsIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NexmarkGenerator(NexmarkOptions.Default with { OutOfOrderGroupSize = 2 * 953 }));
        Assert.Contains("would repeat event ids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsAreTheReferenceDefaults()
    {
        var o = NexmarkOptions.Default;
        Assert.Equal((10_000, 10_000, RateShape.Square, 600, RateUnit.PerSecond), (o.FirstEventRate, o.NextEventRate, o.RateShape, o.RatePeriodSec, o.RateUnit));
        Assert.Equal((1, 3, 46), (o.PersonProportion, o.AuctionProportion, o.BidProportion));
        Assert.Equal((200, 500, 100), (o.AvgPersonByteSize, o.AvgAuctionByteSize, o.AvgBidByteSize));
        Assert.Equal((2, 4, 4), (o.HotAuctionRatio, o.HotSellersRatio, o.HotBiddersRatio));
        Assert.Equal((1, 1000, 100, 1L, 0L, false), (o.NumEventGenerators, o.NumActivePeople, o.NumInFlightAuctions, o.OutOfOrderGroupSize, o.MaxEvents, o.IsRateLimited));
        Assert.Equal(DateTimeOffset.Parse("2015-07-15T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), o.BaseTime);
    }
}
