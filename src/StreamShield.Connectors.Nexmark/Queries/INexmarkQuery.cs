using System.Text.Json.Nodes;

namespace StreamShield.Connectors.Nexmark.Queries;

/// <summary>
/// One Nexmark query as a DataStream job fragment: the semantics and output columns of the reference SQL
/// (nexmark/nexmark, <c>nexmark-flink/src/main/resources/queries/qN.sql</c>).
/// </summary>
public interface INexmarkQuery
{
    /// <summary>The reference name, such as <c>q0</c>.</summary>
    string Name { get; }

    /// <summary>The reference output columns, in order.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// Whether the result is an updating table (each row replaces the earlier row with the same first column);
    /// its result is then the last row per key once the input ends.
    /// </summary>
    bool IsUpdating { get; }

    /// <summary>Builds the query over <paramref name="events"/>, each result row as one JSON object (a line of text).</summary>
    DataStream<string> BuildJson(DataStream<Event> events);
}

/// <summary>A Nexmark query producing rows of <typeparamref name="TRow"/>.</summary>
public interface INexmarkQuery<TRow> : INexmarkQuery
{
    /// <summary>Builds the query's result stream over <paramref name="events"/>.</summary>
    DataStream<TRow> Build(DataStream<Event> events);

    /// <summary>The row as a JSON object with the reference column names; times as epoch milliseconds.</summary>
    JsonObject ToJson(TRow row);
}

/// <summary>Base of the queries: JSON lines from the typed rows, and the shared event selections.</summary>
public abstract class NexmarkQuery<TRow> : INexmarkQuery<TRow>
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<string> Columns { get; }

    /// <inheritdoc />
    public virtual bool IsUpdating => false;

    /// <inheritdoc />
    public abstract DataStream<TRow> Build(DataStream<Event> events);

    /// <inheritdoc />
    public abstract JsonObject ToJson(TRow row);

    /// <inheritdoc />
    public DataStream<string> BuildJson(DataStream<Event> events) =>
        Build(events).Map(row => ToJson(row).ToJsonString(), $"{Name} JSON");

    /// <summary>The bids of <paramref name="events"/>.</summary>
    protected static DataStream<Bid> Bids(DataStream<Event> events) =>
        events.Filter(e => e.Type == EventType.Bid, "Bids").Map(e => e.Bid!, "Bid");

    /// <summary>The new auctions of <paramref name="events"/>.</summary>
    protected static DataStream<Auction> Auctions(DataStream<Event> events) =>
        events.Filter(e => e.Type == EventType.Auction, "Auctions").Map(e => e.NewAuction!, "Auction");

    /// <summary>The new persons of <paramref name="events"/>.</summary>
    protected static DataStream<Person> Persons(DataStream<Event> events) =>
        events.Filter(e => e.Type == EventType.Person, "Persons").Map(e => e.NewPerson!, "Person");
}
