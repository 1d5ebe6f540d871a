using System.Text.Json.Nodes;
using StreamShield.Functions;
using StreamShield.State;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>A q3 row: <c>name, city, state, id</c> (the seller's name and place, the auction's id).</summary>
public sealed record Q3Row(string Name, string City, string State, long Id);

/// <summary>
/// Query 3, local item suggestion: auctions of category 10 whose seller lives in OR, ID or CA. The reference is a
/// regular (unwindowed) inner join; here persons and auctions are keyed by person id and seller, the person is kept
/// in keyed state, and auctions that arrive before their seller wait in keyed state.
/// </summary>
public sealed class Q3LocalItemSuggestion : NexmarkQuery<Q3Row>
{
    /// <summary>The category the query selects.</summary>
    public const long Category = 10;

    /// <summary>The states the query selects.</summary>
    public static IReadOnlyList<string> States { get; } = ["OR", "ID", "CA"];

    /// <inheritdoc />
    public override string Name => "q3";

    /// <inheritdoc />
    public override IReadOnlyList<string> Columns { get; } = ["name", "city", "state", "id"];

    /// <inheritdoc />
    public override DataStream<Q3Row> Build(DataStream<Event> events)
    {
        // Only the columns the join and its rows use cross the shuffle (the projection Flink's planner pushes below it).
        var persons = Persons(events).Filter(p => p.State is "OR" or "ID" or "CA", "q3 persons")
            .Map(p => new Seller(p.Id, p.Name, p.City, p.State), "q3 seller");
        var auctions = Auctions(events).Filter(a => a.Category == Category, "q3 auctions")
            .Map(a => new SoldItem(a.Id, a.Seller), "q3 item");
        return persons.Connect(auctions).KeyBy(p => p.Id, a => a.Seller).Process(new SellerJoin(), "q3 join");
    }

    /// <inheritdoc />
    public override JsonObject ToJson(Q3Row row) => new()
    {
        ["name"] = row.Name,
        ["city"] = row.City,
        ["state"] = row.State,
        ["id"] = row.Id,
    };

    /// <summary>What q3 reads of a person.</summary>
    internal sealed record Seller(long Id, string Name, string City, string State);

    /// <summary>What q3 reads of an auction.</summary>
    internal sealed record SoldItem(long Id, long Seller);

    private sealed class SellerJoin : CoProcessFunction<Seller, SoldItem, Q3Row>
    {
        private IValueState<Seller?> _person = null!;
        private IListState<SoldItem> _pending = null!;

        public override void Open()
        {
            _person = RuntimeContext.GetState(new ValueStateDescriptor<Seller?>("person"));
            _pending = RuntimeContext.GetListState(new ListStateDescriptor<SoldItem>("pending-auctions"));
        }

        public override void ProcessElement1(Seller value, Context context, ICollector<Q3Row> output)
        {
            _person.Update(value);
            foreach (var auction in _pending.Get()) output.Collect(Join(value, auction));
            _pending.Clear();
        }

        public override void ProcessElement2(SoldItem value, Context context, ICollector<Q3Row> output)
        {
            if (_person.Value is { } person) output.Collect(Join(person, value));
            else _pending.Add(value);
        }

        private static Q3Row Join(Seller person, SoldItem auction) => new(person.Name, person.City, person.State, auction.Id);
    }
}
