using StreamShield.Serialization;

namespace StreamShield.Tests.Serialization;

public sealed class SerializerTests
{
    // ------------------------------------------------------------------ model types

    public enum Color : byte { Red = 1, Green = 2, Blue = 3 }

    [Flags]
    public enum Permissions : long { None = 0, Read = 1, Write = 2, Top = 1L << 62 }

    public enum Signed : sbyte { Minus = -5, Plus = 5 }

    public sealed record Address(string Street, string? City, int Zip);

    public sealed record Customer(Guid Id, string Name, Address? Address, List<string> Tags);

    public sealed record OrderLine(string Sku, int Quantity, decimal Price);

    public sealed record Order(
        long Id,
        Customer Customer,
        List<OrderLine> Lines,
        Dictionary<string, decimal> Discounts,
        DateTimeOffset PlacedAt,
        Color Color,
        int? Priority)
    {
        public string? Note { get; set; }
    }

    public sealed record Quote(string Symbol, double Bid, double Ask, long Timestamp);

    public sealed class MutablePerson
    {
        public string Name { get; set; } = "";
        public int Age { get; set; }
        public List<string> Nicknames { get; set; } = [];
        public MutablePerson? Friend { get; set; }
        public string Description => $"{Name} ({Age})";
    }

    public sealed class ImmutablePoint(int x, int y)
    {
        public int X { get; } = x;
        public int Y { get; } = y;
        public int Sum => X + Y;
    }

    public struct Vector
    {
        public double X;
        public double Y;
        public double Z;
    }

    public readonly record struct Money(decimal Amount, string Currency);

    public record struct Bucket(int Key, List<int> Items);

    public readonly struct Temperature(double celsius, string sensor)
    {
        public readonly double Celsius = celsius;
        public string Sensor { get; } = sensor;
        public double Fahrenheit => Celsius * 9 / 5 + 32;
    }

    public sealed record Envelope<T>(string Key, T Value, long Timestamp);

    public sealed class InitOnly
    {
        public int A { get; init; }
        public string B { get; init; } = "";
        public DateTime When { get; init; }
    }

    public sealed class FieldBag
    {
        public int Count;
        public string? Label;
        public long[] Values = [];
    }

    public class BaseEntity
    {
        public long Id { get; set; }
    }

    public sealed class DerivedEntity : BaseEntity
    {
        public string Name { get; set; } = "";
    }

    public sealed class TreeNode
    {
        public string Name { get; set; } = "";
        public List<TreeNode> Children { get; set; } = [];
    }

    public sealed record LinkedNode(int Value, LinkedNode? Next);

    public sealed record ImmutableTree(int Value, ImmutableTree? Left, ImmutableTree? Right);

    public sealed class Ping
    {
        public int N { get; init; }
        public Pong? Pong { get; init; }
    }

    public sealed class Pong
    {
        public Ping? Ping { get; init; }
        public List<int> Data { get; init; } = [];
    }

    public sealed record Even(int N, Odd? Next);

    public sealed record Odd(int N, Even? Next);

    public sealed record Everything(
        bool Bool, byte Byte, sbyte SByte, short Short, ushort UShort, int Int, uint UInt, long Long, ulong ULong,
        float Float, double Double, decimal Decimal, char Char, string String, DateTime DateTime,
        DateTimeOffset DateTimeOffset, TimeSpan TimeSpan, Guid Guid, Color Color, Permissions Permissions, int? NullableInt,
        Vector? NullableVector, byte[] Bytes, (int, string) Pair, KeyValuePair<string, long> Kvp);

    // unsupported shapes
    public sealed class NativeThing
    {
        public IntPtr Handle { get; set; }
    }

    public sealed class BadCustomer
    {
        public string Name { get; set; } = "";
        public IntPtr Handle { get; set; }
    }

    public sealed record BadOrder(int Id, BadCustomer Customer);

    public sealed class WithObject
    {
        public object? Payload { get; set; }
    }

    public sealed class WithInterface
    {
        public IList<int> Items { get; set; } = [];
    }

    public abstract class Shape
    {
        public int Id { get; set; }
    }

    public sealed class WithAbstract
    {
        public Shape? Shape { get; set; }
    }

    public sealed class WithDelegate
    {
        public Func<int>? Callback { get; set; }
    }

    public sealed class NoPublicMembers
    {
        private readonly int _value = 1;
        public int Get() => _value;
    }

    public sealed class NoPublicConstructor
    {
        private NoPublicConstructor(int x) => X = x;
        public int X { get; }
        public static NoPublicConstructor Create(int x) => new(x);
    }

    public sealed class ReadOnlyWithoutConstructor
    {
        public int X { get; } = 5;
        public string Name { get; set; } = "";
    }

    public sealed class ListOfBad
    {
        public List<NativeThing> Items { get; set; } = [];
    }

    public sealed class DictionaryOfBad
    {
        public Dictionary<string, Action> Map { get; set; } = [];
    }

    public sealed class WithMatrix
    {
        public int[,] Cells { get; set; } = new int[1, 1];
    }

    public sealed class CustomList : List<int>;

    public sealed class UsedBeforeRegister
    {
        public int X { get; set; }
    }

    public interface IShape
    {
        double Area { get; }
    }

    public sealed record Circle(double Radius) : IShape
    {
        public double Area => Math.PI * Radius * Radius;
    }

    public sealed record Drawing(string Name, List<IShape> Shapes);

    private sealed class CircleShapeSerializer : TypeSerializer<IShape>
    {
        public override void Serialize(IShape value, DataOutput output) => output.WriteDouble(((Circle)value).Radius);
        public override IShape Deserialize(DataInput input) => new Circle(input.ReadDouble());
        public override bool IsImmutable => true;
    }

    public readonly record struct Marker;

    public struct MarkerHolder
    {
        public Marker Marker;
    }

    private sealed class EmptyMarkerSerializer : TypeSerializer<Marker>
    {
        public override void Serialize(Marker value, DataOutput output) { }
        public override Marker Deserialize(DataInput input) => default;
        public override bool IsImmutable => true;
    }

    public struct StructNode
    {
        public int Value;
        public List<StructNode> Children;
    }

    public sealed class FreshForConcurrency
    {
        public int A { get; set; }
        public List<FreshForConcurrency> Next { get; set; } = [];
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] ToBytes<T>(T value)
    {
        using var output = new DataOutput(8);
        TypeSerializers.For<T>().Serialize(value, output);
        return output.ToArray();
    }

    private static T RoundTrip<T>(T value)
    {
        var serializer = TypeSerializers.For<T>();
        var bytes = ToBytes(value);
        var input = new DataInput(bytes);
        var result = serializer.Deserialize(input);
        Assert.True(input.IsAtEnd, $"{input.Remaining} bytes left unread for {typeof(T).Name}");
        Assert.Equal(bytes, ToBytes(result)); // the encoding is deterministic and loses nothing
        return result;
    }

    private static void AssertRoundTrip<T>(T value) => Assert.Equal(value, RoundTrip(value));

    private static Order SampleOrder() => new(
        long.MinValue,
        new Customer(Guid.NewGuid(), "Zoë 🌍 日本語", new Address("Main St 1", null, 12345), ["vip", "", "ünïcödé"]),
        [new OrderLine("SKU-1", 3, 19.99m), new OrderLine("", int.MinValue, decimal.MinValue)],
        new Dictionary<string, decimal> { ["summer"] = 0.15m, ["loyalty"] = -1.000m },
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(5.5)),
        Color.Blue,
        null)
    { Note = "fragile" };

    private static void AssertOrdersEqual(Order expected, Order actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Customer.Id, actual.Customer.Id);
        Assert.Equal(expected.Customer.Name, actual.Customer.Name);
        Assert.Equal(expected.Customer.Address, actual.Customer.Address);
        Assert.Equal(expected.Customer.Tags, actual.Customer.Tags);
        Assert.Equal(expected.Lines, actual.Lines);
        Assert.Equal(expected.Discounts, actual.Discounts);
        Assert.Equal(expected.PlacedAt, actual.PlacedAt);
        Assert.Equal(expected.PlacedAt.Offset, actual.PlacedAt.Offset);
        Assert.Equal(expected.Color, actual.Color);
        Assert.Equal(expected.Priority, actual.Priority);
        Assert.Equal(expected.Note, actual.Note);
    }

    private static UnsupportedTypeException AssertUnsupported(Type type, string expectedPath, Type offendingType)
    {
        var ex = Assert.Throws<UnsupportedTypeException>(() => TypeSerializers.For(type));
        Assert.Equal(type, ex.UnsupportedType);
        Assert.Equal(offendingType, ex.OffendingType);
        Assert.Equal(expectedPath, ex.MemberPath);
        var fullName = type.IsGenericType ? type.Namespace + "." + type.Name[..type.Name.IndexOf('`')] + "<" : type.FullName!;
        Assert.Contains($"'{fullName}", ex.Message);
        Assert.Contains(expectedPath + ": ", ex.Message);
        Assert.Contains("TypeSerializers.Register<", ex.Message);
        Assert.Throws<UnsupportedTypeException>(() => TypeSerializers.Validate(type));
        return ex;
    }

    // ------------------------------------------------------------------ scalars

    [Fact]
    public void Integers_RoundTrip_IncludingExtremes()
    {
        AssertRoundTrip(true);
        AssertRoundTrip(false);
        AssertRoundTrip(byte.MaxValue);
        AssertRoundTrip(sbyte.MinValue);
        AssertRoundTrip(sbyte.MaxValue);
        AssertRoundTrip(short.MinValue);
        AssertRoundTrip(ushort.MaxValue);
        AssertRoundTrip(int.MinValue);
        AssertRoundTrip(int.MaxValue);
        AssertRoundTrip(uint.MaxValue);
        AssertRoundTrip(long.MinValue);
        AssertRoundTrip(long.MaxValue);
        AssertRoundTrip(ulong.MaxValue);
        AssertRoundTrip(Int128.MinValue);
        AssertRoundTrip(UInt128.MaxValue);
        AssertRoundTrip(0L);
        AssertRoundTrip(-1);
    }

    [Fact]
    public void FloatingPoint_RoundTrips_BitExact()
    {
        foreach (var d in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, double.MinValue, Math.PI })
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(RoundTrip(d)));
        foreach (var f in new[] { float.NaN, float.NegativeInfinity, -0.0f, float.Epsilon, float.MaxValue, 1.5f })
            Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits(RoundTrip(f)));
        Assert.True(double.IsNaN(RoundTrip(double.NaN)));
        AssertRoundTrip(Half.MaxValue);
        AssertRoundTrip((Half)(-2.5f));
    }

    [Fact]
    public void Decimal_RoundTrips_WithScale()
    {
        AssertRoundTrip(decimal.MaxValue);
        AssertRoundTrip(decimal.MinValue);
        AssertRoundTrip(0m);
        Assert.Equal("1.2300", RoundTrip(1.2300m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("-0.0000000000000000000000000001", RoundTrip(-0.0000000000000000000000000001m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void CharsAndStrings_RoundTrip()
    {
        AssertRoundTrip('a');
        AssertRoundTrip('\0');
        AssertRoundTrip('\uD83C'); // lone surrogate
        AssertRoundTrip(char.MaxValue);
        AssertRoundTrip("");
        AssertRoundTrip("hello");
        AssertRoundTrip("Zoë 🌍 日本語 \u0000 \t\r\n");
        AssertRoundTrip(new string('x', 100_000));
        Assert.Null(RoundTrip<string>(null!));
    }

    [Fact]
    public void DatesTimesAndGuids_RoundTrip_PreservingKindAndOffset()
    {
        foreach (var dt in new[]
                 {
                     DateTime.MinValue, DateTime.MaxValue, new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(7),
                     new DateTime(2020, 6, 1, 12, 0, 0, DateTimeKind.Local), new DateTime(2020, 6, 1, 12, 0, 0, DateTimeKind.Unspecified),
                     DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
                 })
        {
            var back = RoundTrip(dt);
            Assert.Equal(dt.Ticks, back.Ticks);
            Assert.Equal(dt.Kind, back.Kind);
        }

        foreach (var dto in new[]
                 {
                     DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.FromHours(-14)),
                     new DateTimeOffset(2024, 3, 1, 0, 0, 0, new TimeSpan(5, 45, 0)), DateTimeOffset.UnixEpoch,
                 })
        {
            var back = RoundTrip(dto);
            Assert.Equal(dto.Ticks, back.Ticks);
            Assert.Equal(dto.Offset, back.Offset);
        }

        AssertRoundTrip(TimeSpan.MinValue);
        AssertRoundTrip(TimeSpan.MaxValue);
        AssertRoundTrip(TimeSpan.FromMilliseconds(-1.5));
        AssertRoundTrip(Guid.Empty);
        AssertRoundTrip(Guid.NewGuid());
        AssertRoundTrip(DateOnly.MinValue);
        AssertRoundTrip(DateOnly.MaxValue);
        AssertRoundTrip(TimeOnly.MaxValue);
    }

    [Fact]
    public void Enums_RoundTrip_AtTheirNativeWidth()
    {
        AssertRoundTrip(Color.Green);
        AssertRoundTrip((Color)200); // undefined value
        AssertRoundTrip(Permissions.Read | Permissions.Write | Permissions.Top);
        AssertRoundTrip(Signed.Minus);
        AssertRoundTrip(DayOfWeek.Saturday);
        Assert.Single(ToBytes(Color.Red));
        Assert.Equal(8, ToBytes(Permissions.Top).Length);
    }

    [Fact]
    public void Nullables_RoundTrip()
    {
        AssertRoundTrip<int?>(null);
        AssertRoundTrip<int?>(int.MinValue);
        AssertRoundTrip<Color?>(Color.Red);
        AssertRoundTrip<DateTime?>(null);
        AssertRoundTrip<Vector?>(new Vector { X = 1, Y = double.NaN, Z = -0.0 });
        AssertRoundTrip<Vector?>(null);
        Assert.Equal(new byte[] { 0 }, ToBytes<long?>(null));
    }

    [Fact]
    public void WireFormat_IsLittleEndianAndCompact()
    {
        Assert.Equal(new byte[] { 0x04, 0x03, 0x02, 0x01 }, ToBytes(0x01020304));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, ToBytes<string>(null!)); // int32 -1
        Assert.Equal(new byte[] { 0 }, ToBytes<List<int>>(null!));                  // varint 0 = null
        Assert.Equal(new byte[] { 1 }, ToBytes(new List<int>()));                   // varint count + 1
        Assert.Equal(new byte[] { 3, 7, 9 }, ToBytes(new byte[] { 7, 9 }));
        Assert.Equal(new byte[] { 0 }, ToBytes<Address>(null!));                    // presence byte
        Assert.Equal(24, ToBytes(new Vector()).Length);                             // structs: no presence byte
    }

    // ------------------------------------------------------------------ collections

    [Fact]
    public void Arrays_RoundTrip_IncludingFastPathsNullsAndJagged()
    {
        AssertRoundTrip(new byte[] { 0, 1, 255 });
        AssertRoundTrip(Array.Empty<byte>());
        Assert.Null(RoundTrip<byte[]>(null!));
        AssertRoundTrip(new[] { int.MinValue, 0, int.MaxValue });
        AssertRoundTrip(new[] { long.MinValue, long.MaxValue });
        AssertRoundTrip(new[] { 'a', '\uFFFF' });
        AssertRoundTrip(new[] { double.NaN, -0.0, double.MaxValue });
        AssertRoundTrip(new[] { true, false, true });
        AssertRoundTrip(new[] { 1.5m, decimal.MinValue });
        AssertRoundTrip(new[] { "a", null, "", "ü" });
        AssertRoundTrip(new[] { Color.Red, Color.Blue });
        var jagged = RoundTrip(new[] { new[] { 1, 2 }, [], null!, new[] { 3 } });
        Assert.Equal(4, jagged.Length);
        Assert.Equal(new[] { 1, 2 }, jagged[0]);
        Assert.Empty(jagged[1]);
        Assert.Null(jagged[2]);
        Assert.Equal(new[] { 3 }, jagged[3]);
        var big = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        AssertRoundTrip(big);
    }

    [Fact]
    public void Lists_RoundTrip_IncludingNested()
    {
        AssertRoundTrip(new List<int> { 1, -1, int.MaxValue });
        AssertRoundTrip(new List<long>());
        AssertRoundTrip(new List<string?> { "x", null, "" });
        AssertRoundTrip(new List<Address?> { new("a", "b", 1), null, new("", null, -1) });
        var nested = RoundTrip(new List<List<int>?> { new() { 1, 2 }, null, new() });
        Assert.Equal(3, nested.Count);
        Assert.Equal(new[] { 1, 2 }, nested[0]);
        Assert.Null(nested[1]);
        Assert.Empty(nested[2]!);
        Assert.Null(RoundTrip<List<int>>(null!));
    }

    [Fact]
    public void DictionariesAndSets_RoundTrip()
    {
        var map = RoundTrip(new Dictionary<string, List<int>> { ["a"] = [1, 2], ["empty"] = [], ["null"] = null! });
        Assert.Equal(3, map.Count);
        Assert.Equal(new[] { 1, 2 }, map["a"]);
        Assert.Empty(map["empty"]);
        Assert.Null(map["null"]);

        AssertRoundTrip(new Dictionary<int, Address> { [1] = new("x", null, 1), [-7] = new("y", "z", 2) });
        AssertRoundTrip(new Dictionary<Guid, decimal>());
        AssertRoundTrip(new Dictionary<Color, DateTime> { [Color.Red] = DateTime.MaxValue });
        Assert.Null(RoundTrip<Dictionary<string, int>>(null!));

        var set = RoundTrip(new HashSet<string> { "a", "b", "" });
        Assert.True(set.SetEquals(["a", "b", ""]));
        var guids = new HashSet<Guid> { Guid.NewGuid(), Guid.NewGuid() };
        Assert.True(RoundTrip(guids).SetEquals(guids));
        Assert.Empty(RoundTrip(new HashSet<int>()));
    }

    [Fact]
    public void Tuples_RoundTrip_AllAritiesIncludingRest()
    {
        AssertRoundTrip(ValueTuple.Create(5));
        AssertRoundTrip((1, "two"));
        AssertRoundTrip((1, "two", 3.0, 4L, '5', (byte)6, Color.Green));
        AssertRoundTrip((1, 2, 3, 4, 5, 6, 7, 8, 9, "ten"));
        AssertRoundTrip((1, ("nested", (2.5, (string?)null))));
        AssertRoundTrip(Tuple.Create(1));
        AssertRoundTrip(Tuple.Create(1, "a", 2.5, 'c', 5L, (short)6, Color.Red));
        AssertRoundTrip(new Tuple<int, int, int, int, int, int, int, Tuple<string>>(1, 2, 3, 4, 5, 6, 7, Tuple.Create("eight")));
        Assert.Null(RoundTrip<Tuple<int, string>>(null!));
        AssertRoundTrip(new KeyValuePair<string, long>("k", long.MinValue));
        AssertRoundTrip(new KeyValuePair<int, Address?>(1, null));
    }

    // ------------------------------------------------------------------ user types

    [Fact]
    public void PositionalRecords_RoundTrip_WithNestedCollectionsNullsAndExtraSetter()
    {
        var order = SampleOrder();
        AssertOrdersEqual(order, RoundTrip(order));

        var sparse = order with { Customer = order.Customer with { Address = null, Tags = [] }, Discounts = [], Priority = 3 };
        sparse.Note = null;
        AssertOrdersEqual(sparse, RoundTrip(sparse));

        Assert.Null(RoundTrip<Order>(null!));
        AssertRoundTrip(new Quote("", double.NaN, double.NegativeInfinity, long.MinValue));
    }

    [Fact]
    public void AllSupportedMemberKinds_RoundTrip_InOneRecord()
    {
        var value = new Everything(true, 255, -128, short.MinValue, ushort.MaxValue, int.MinValue, uint.MaxValue, long.MinValue,
            ulong.MaxValue, float.NaN, double.NegativeInfinity, decimal.MaxValue, '\u20AC', "€uro", DateTime.UnixEpoch,
            DateTimeOffset.MaxValue, TimeSpan.MinValue, Guid.NewGuid(), Color.Blue, Permissions.Top, null,
            new Vector { X = 1 }, [1, 2, 3], (42, "answer"), new("k", -1));
        var back = RoundTrip(value);
        Assert.Equal(value with { Bytes = back.Bytes }, back);
        Assert.Equal(value.Bytes, back.Bytes);
    }

    [Fact]
    public void MutableClass_WithSettersAndComputedMembers_RoundTrips()
    {
        var person = new MutablePerson
        {
            Name = "Ada",
            Age = 36,
            Nicknames = ["countess", ""],
            Friend = new MutablePerson { Name = "Charles", Age = int.MaxValue, Nicknames = [] },
        };
        var back = RoundTrip(person);
        Assert.Equal("Ada", back.Name);
        Assert.Equal(36, back.Age);
        Assert.Equal(person.Nicknames, back.Nicknames);
        Assert.NotNull(back.Friend);
        Assert.Equal("Charles", back.Friend!.Name);
        Assert.Equal(int.MaxValue, back.Friend.Age);
        Assert.Empty(back.Friend.Nicknames);
        Assert.Null(back.Friend.Friend);
        Assert.Equal(person.Description, back.Description);
    }

    [Fact]
    public void ImmutableClass_StructsInitOnlyFieldsAndInheritance_RoundTrip()
    {
        var point = RoundTrip(new ImmutablePoint(-3, int.MaxValue));
        Assert.Equal(-3, point.X);
        Assert.Equal(int.MaxValue, point.Y);

        AssertRoundTrip(new Vector { X = double.MaxValue, Y = -0.5, Z = double.Epsilon });
        AssertRoundTrip(new Money(-12.3400m, "EUR"));
        AssertRoundTrip(new Money(0m, null!));

        var bucket = RoundTrip(new Bucket(7, [1, 2, 3]));
        Assert.Equal(7, bucket.Key);
        Assert.Equal(new[] { 1, 2, 3 }, bucket.Items);

        var init = RoundTrip(new InitOnly { A = -1, B = "b", When = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
        Assert.Equal(-1, init.A);
        Assert.Equal("b", init.B);
        Assert.Equal(DateTimeKind.Utc, init.When.Kind);

        var bag = RoundTrip(new FieldBag { Count = 3, Label = null, Values = [long.MinValue, 0] });
        Assert.Equal(3, bag.Count);
        Assert.Null(bag.Label);
        Assert.Equal(new[] { long.MinValue, 0L }, bag.Values);

        var derived = RoundTrip(new DerivedEntity { Id = long.MaxValue, Name = "d" });
        Assert.Equal(long.MaxValue, derived.Id);
        Assert.Equal("d", derived.Name);
    }

    [Fact]
    public void ReadonlyStructsGenericRecordsAndAnonymousTypes_RoundTrip()
    {
        var temperature = RoundTrip(new Temperature(-273.15, "probe-1"));
        Assert.Equal(-273.15, temperature.Celsius);
        Assert.Equal("probe-1", temperature.Sensor);
        Assert.True(TypeSerializers.For<Temperature>().IsImmutable);

        var envelope = RoundTrip(new Envelope<List<Quote>>("k", [new Quote("MSFT", 1, 2, 3)], 42));
        Assert.Equal("k", envelope.Key);
        Assert.Equal(new Quote("MSFT", 1, 2, 3), Assert.Single(envelope.Value));
        Assert.Equal(42, envelope.Timestamp);
        AssertRoundTrip(new Envelope<int?>("n", null, 0));

        AssertAnonymousRoundTrip(new { Id = 7, Name = "anon", Nested = new { Flag = true } });
    }

    private static void AssertAnonymousRoundTrip<T>(T value) => AssertRoundTrip(value);

    [Fact]
    public void RecursiveTypes_RoundTrip()
    {
        var tree = new TreeNode
        {
            Name = "root",
            Children =
            [
                new TreeNode { Name = "a", Children = [new TreeNode { Name = "a1" }] },
                new TreeNode { Name = "b" },
            ],
        };
        var back = RoundTrip(tree);
        Assert.Equal("root", back.Name);
        Assert.Equal(2, back.Children.Count);
        Assert.Equal("a1", Assert.Single(back.Children[0].Children).Name);
        Assert.Empty(back.Children[1].Children);

        AssertRoundTrip(new LinkedNode(1, new LinkedNode(2, new LinkedNode(3, null))));
        AssertRoundTrip(new ImmutableTree(1, new ImmutableTree(2, null, null), new ImmutableTree(3, null, new ImmutableTree(4, null, null))));
        AssertRoundTrip(new Even(0, new Odd(1, new Even(2, null))));

        var ping = RoundTrip(new Ping { N = 1, Pong = new Pong { Data = [5], Ping = new Ping { N = 2 } } });
        Assert.Equal(1, ping.N);
        Assert.Equal(new[] { 5 }, ping.Pong!.Data);
        Assert.Equal(2, ping.Pong.Ping!.N);
        Assert.Null(ping.Pong.Ping.Pong);
    }

    [Fact]
    public void SeveralValues_InOneBuffer_ReadBackInOrder()
    {
        using var output = new DataOutput();
        var orders = TypeSerializers.For<Order>();
        var ints = TypeSerializers.For<List<int>>();
        var first = SampleOrder();
        orders.Serialize(first, output);
        ints.Serialize([1, 2, 3], output);
        orders.Serialize(null!, output);
        var input = new DataInput(output.ToArray());
        AssertOrdersEqual(first, orders.Deserialize(input));
        Assert.Equal(new[] { 1, 2, 3 }, ints.Deserialize(input));
        Assert.Null(orders.Deserialize(input));
        Assert.True(input.IsAtEnd);
    }

    // ------------------------------------------------------------------ immutability and copies

    [Fact]
    public void IsImmutable_IsReportedPerType()
    {
        Assert.True(TypeSerializers.For<int>().IsImmutable);
        Assert.True(TypeSerializers.For<string>().IsImmutable);
        Assert.True(TypeSerializers.For<Color>().IsImmutable);
        Assert.True(TypeSerializers.For<DateTimeOffset>().IsImmutable);
        Assert.True(TypeSerializers.For<int?>().IsImmutable);
        Assert.True(TypeSerializers.For<Address>().IsImmutable);
        Assert.True(TypeSerializers.For<Quote>().IsImmutable);
        Assert.True(TypeSerializers.For<ImmutablePoint>().IsImmutable);
        Assert.True(TypeSerializers.For<InitOnly>().IsImmutable);
        Assert.True(TypeSerializers.For<Vector>().IsImmutable);
        Assert.True(TypeSerializers.For<Money>().IsImmutable);
        Assert.True(TypeSerializers.For<(int, string)>().IsImmutable);
        Assert.True(TypeSerializers.For<KeyValuePair<string, int>>().IsImmutable);
        Assert.True(TypeSerializers.For<Tuple<int, Address>>().IsImmutable);
        Assert.True(TypeSerializers.For<LinkedNode>().IsImmutable);
        Assert.True(TypeSerializers.For<ImmutableTree>().IsImmutable);
        Assert.True(TypeSerializers.For<Even>().IsImmutable);

        Assert.False(TypeSerializers.For<int[]>().IsImmutable);
        Assert.False(TypeSerializers.For<List<int>>().IsImmutable);
        Assert.False(TypeSerializers.For<Dictionary<string, int>>().IsImmutable);
        Assert.False(TypeSerializers.For<HashSet<int>>().IsImmutable);
        Assert.False(TypeSerializers.For<Customer>().IsImmutable);      // has a List member
        Assert.False(TypeSerializers.For<Order>().IsImmutable);         // has a setter
        Assert.False(TypeSerializers.For<MutablePerson>().IsImmutable);
        Assert.False(TypeSerializers.For<FieldBag>().IsImmutable);
        Assert.False(TypeSerializers.For<Bucket>().IsImmutable);        // struct holding a list
        Assert.False(TypeSerializers.For<Tuple<int, List<int>>>().IsImmutable);
        Assert.False(TypeSerializers.For<TreeNode>().IsImmutable);
        Assert.False(TypeSerializers.For<Ping>().IsImmutable);          // reaches Pong.Data (a list) through a cycle
        Assert.False(TypeSerializers.For<Pong>().IsImmutable);
    }

    [Fact]
    public void Copy_OfImmutableValues_ReturnsTheSameInstance()
    {
        var address = new Address("s", "c", 1);
        Assert.Same(address, TypeSerializers.For<Address>().Copy(address));
        var text = "text";
        Assert.Same(text, TypeSerializers.For<string>().Copy(text));
        var tree = new ImmutableTree(1, null, null);
        Assert.Same(tree, TypeSerializers.For<ImmutableTree>().Copy(tree));
    }

    [Fact]
    public void Copy_OfMutableClass_IsDeepAndIndependent()
    {
        var original = new MutablePerson { Name = "a", Age = 1, Nicknames = ["x"], Friend = new MutablePerson { Name = "f", Nicknames = ["y"] } };
        var copy = TypeSerializers.For<MutablePerson>().Copy(original);

        Assert.NotSame(original, copy);
        Assert.NotSame(original.Nicknames, copy.Nicknames);
        Assert.NotSame(original.Friend, copy.Friend);
        Assert.Equal("a", copy.Name);
        Assert.Equal(new[] { "x" }, copy.Nicknames);
        Assert.Equal(new[] { "y" }, copy.Friend!.Nicknames);

        copy.Name = "changed";
        copy.Nicknames.Add("z");
        copy.Friend.Nicknames.Clear();
        copy.Friend.Age = 99;
        Assert.Equal("a", original.Name);
        Assert.Equal(new[] { "x" }, original.Nicknames);
        Assert.Equal(new[] { "y" }, original.Friend.Nicknames);
        Assert.Equal(0, original.Friend.Age);

        Assert.Null(TypeSerializers.For<MutablePerson>().Copy(null!));
    }

    [Fact]
    public void Copy_OfRecordsCollectionsAndStructs_IsDeep()
    {
        var order = SampleOrder();
        var copy = TypeSerializers.For<Order>().Copy(order);
        AssertOrdersEqual(order, copy);
        Assert.NotSame(order, copy);
        Assert.NotSame(order.Lines, copy.Lines);
        Assert.NotSame(order.Customer.Tags, copy.Customer.Tags);
        Assert.Same(order.Customer.Address, copy.Customer.Address); // immutable record: shared safely
        copy.Lines.Clear();
        copy.Customer.Tags.Add("new");
        copy.Discounts["summer"] = 1m;
        copy.Note = "changed";
        AssertOrdersEqual(SampleOrder() with { Customer = order.Customer with { Id = order.Customer.Id } }, order);

        var map = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase) { ["a"] = [1] };
        var mapCopy = TypeSerializers.For<Dictionary<string, List<int>>>().Copy(map);
        Assert.Same(map.Comparer, mapCopy.Comparer);
        mapCopy["A"].Add(2);
        Assert.Equal(new[] { 1 }, map["a"]);

        var arrays = new[] { new[] { 1 }, new[] { 2 } };
        var arraysCopy = TypeSerializers.For<int[][]>().Copy(arrays);
        arraysCopy[0][0] = 100;
        Assert.Equal(1, arrays[0][0]);

        var bytes = new byte[] { 1, 2 };
        var bytesCopy = TypeSerializers.For<byte[]>().Copy(bytes);
        bytesCopy[0] = 9;
        Assert.Equal(1, bytes[0]);

        var people = new List<MutablePerson> { new() { Name = "p" } };
        var peopleCopy = TypeSerializers.For<List<MutablePerson>>().Copy(people);
        peopleCopy[0].Name = "q";
        Assert.Equal("p", people[0].Name);

        var bucket = new Bucket(1, [1]);
        var bucketCopy = TypeSerializers.For<Bucket>().Copy(bucket);
        bucketCopy.Items.Add(2);
        Assert.Equal(new[] { 1 }, bucket.Items);

        var set = new HashSet<string>(StringComparer.Ordinal) { "a" };
        var setCopy = TypeSerializers.For<HashSet<string>>().Copy(set);
        setCopy.Add("b");
        Assert.Single(set);

        var valueTuple = (1, new List<int> { 1 });
        var valueTupleCopy = TypeSerializers.For<(int, List<int>)>().Copy(valueTuple);
        valueTupleCopy.Item2.Add(2);
        Assert.Single(valueTuple.Item2);
        Assert.False(TypeSerializers.For<(int, List<int>)>().IsImmutable);

        var tuple = Tuple.Create(1, new List<int> { 1 });
        var tupleCopy = TypeSerializers.For<Tuple<int, List<int>>>().Copy(tuple);
        tupleCopy.Item2.Add(2);
        Assert.Single(tuple.Item2);

        var tree = new TreeNode { Name = "r", Children = [new TreeNode { Name = "c" }] };
        var treeCopy = TypeSerializers.For<TreeNode>().Copy(tree);
        treeCopy.Children[0].Name = "changed";
        treeCopy.Children.Add(new TreeNode());
        Assert.Equal("c", Assert.Single(tree.Children).Name);
    }

    // ------------------------------------------------------------------ factory behaviour

    [Fact]
    public void Serializers_AreCachedPerType_AndSharedBetweenGenericAndTypeOverloads()
    {
        Assert.Same(TypeSerializers.For<Order>(), TypeSerializers.For<Order>());
        Assert.Same(TypeSerializers.For<Order>(), TypeSerializers.For(typeof(Order)));
        Assert.IsAssignableFrom<TypeSerializer<List<Address>>>(TypeSerializers.For(typeof(List<Address>)));
        TypeSerializers.Validate(typeof(Order));
        TypeSerializers.Validate(typeof(Dictionary<string, (int, Guid?)>));
    }

    [Fact]
    public void ConcurrentFirstUse_YieldsOneInstance()
    {
        var results = new object[16];
        Parallel.For(0, results.Length, i => results[i] = TypeSerializers.For<FreshForConcurrency>());
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public void Primitives_DoNotAllocate()
    {
        AssertNoAllocations(12345);
        AssertNoAllocations(long.MinValue);
        AssertNoAllocations(3.5);
        AssertNoAllocations(decimal.MinValue);
        AssertNoAllocations(Guid.NewGuid());
        AssertNoAllocations(DateTime.UtcNow);
        AssertNoAllocations(DateTimeOffset.Now);
        AssertNoAllocations(Permissions.Top);
        AssertNoAllocations<int?>(5);
        AssertNoAllocations(new Vector { X = 1, Y = 2, Z = 3 });
    }

    private static void AssertNoAllocations<T>(T value)
    {
        var serializer = TypeSerializers.For<T>();
        using var output = new DataOutput(1 << 16);
        var input = new DataInput([]);
        for (var round = 0; round < 2; round++) // first round warms up (JIT, tiering)
        {
            output.Reset();
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 100; i++) serializer.Serialize(value, output);
            var bytes = output.WrittenMemory;
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment);
            input.Reset(segment.Array!, segment.Offset, segment.Count);
            for (var i = 0; i < 100; i++) serializer.Deserialize(input);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1) Assert.True(allocated == 0, $"{typeof(T).Name}: {allocated} bytes allocated");
        }
    }

    [Fact]
    public void CorruptOrTruncatedInput_ThrowsCorruptDataException()
    {
        var bytes = ToBytes(SampleOrder());
        var orders = TypeSerializers.For<Order>();
        for (var cut = 0; cut < bytes.Length; cut += 7)
            Assert.Throws<CorruptDataException>(() => orders.Deserialize(new DataInput(bytes, 0, cut)));

        // A list claiming 2^31 - 2 elements in a 5-byte buffer is rejected before allocating.
        Assert.Throws<CorruptDataException>(() => TypeSerializers.For<List<Address>>().Deserialize(new DataInput([0xFF, 0xFF, 0xFF, 0xFF, 0x07])));
        Assert.Throws<CorruptDataException>(() => TypeSerializers.For<int[]>().Deserialize(new DataInput([0x10, 1, 2, 3])));
        Assert.Throws<CorruptDataException>(() => TypeSerializers.For<Address>().Deserialize(new DataInput([7])));
        Assert.Throws<CorruptDataException>(() => TypeSerializers.For<DateTime>().Deserialize(new DataInput([0, 0, 0, 0, 0, 0, 0, 0xC0])));
    }

    // ------------------------------------------------------------------ unsupported types

    [Fact]
    public void Unsupported_NestedNativeHandle_ReportsMemberPath()
    {
        var ex = AssertUnsupported(typeof(BadOrder), "BadOrder.Customer.Handle", typeof(IntPtr));
        Assert.Contains("BadOrder.Customer.Handle: System.IntPtr", ex.Message);
        Assert.Contains("StreamShield.Tests.Serialization.SerializerTests+BadOrder", ex.Message);
        Assert.Contains("public constructor", ex.Message);

        // Nothing half-built was cached: the failing member types still fail on their own, with their own root.
        var inner = AssertUnsupported(typeof(NativeThing), "NativeThing.Handle", typeof(IntPtr));
        Assert.Contains("NativeThing.Handle: System.IntPtr", inner.Message);
    }

    [Fact]
    public void Unsupported_PolymorphicAndOpaqueMembers()
    {
        Assert.Contains("polymorphism", AssertUnsupported(typeof(WithObject), "WithObject.Payload", typeof(object)).Message);
        var iface = AssertUnsupported(typeof(WithInterface), "WithInterface.Items", typeof(IList<int>));
        Assert.Contains("System.Collections.Generic.IList<System.Int32>", iface.Message);
        Assert.Contains("List<T>", iface.Message);
        Assert.Contains("abstract", AssertUnsupported(typeof(WithAbstract), "WithAbstract.Shape", typeof(Shape)).Message);
        Assert.Contains("delegate", AssertUnsupported(typeof(WithDelegate), "WithDelegate.Callback", typeof(Func<int>)).Message);
        AssertUnsupported(typeof(ListOfBad), "ListOfBad.Items[].Handle", typeof(IntPtr));
        AssertUnsupported(typeof(DictionaryOfBad), "DictionaryOfBad.Map[value]", typeof(Action));
        Assert.Contains("jagged", AssertUnsupported(typeof(WithMatrix), "WithMatrix.Cells", typeof(int[,])).Message);
    }

    [Fact]
    public void Unsupported_TypesWithoutUsableShape()
    {
        Assert.Contains("no public properties or fields", AssertUnsupported(typeof(NoPublicMembers), "NoPublicMembers", typeof(NoPublicMembers)).Message);
        Assert.Contains("no public constructor", AssertUnsupported(typeof(NoPublicConstructor), "NoPublicConstructor", typeof(NoPublicConstructor)).Message);
        var readOnly = AssertUnsupported(typeof(ReadOnlyWithoutConstructor), "ReadOnlyWithoutConstructor", typeof(ReadOnlyWithoutConstructor));
        Assert.Contains("'X' has no public setter and no matching constructor parameter", readOnly.Message);
        Assert.Contains("custom collection", AssertUnsupported(typeof(CustomList), "CustomList", typeof(CustomList)).Message);
    }

    [Fact]
    public void Unsupported_TopLevelSpecialTypes()
    {
        AssertUnsupported(typeof(object), "Object", typeof(object));
        AssertUnsupported(typeof(IntPtr), "IntPtr", typeof(IntPtr));
        AssertUnsupported(typeof(UIntPtr), "UIntPtr", typeof(UIntPtr));
        AssertUnsupported(typeof(Action), "Action", typeof(Action));
        AssertUnsupported(typeof(IDisposable), "IDisposable", typeof(IDisposable));
        AssertUnsupported(typeof(System.IO.Stream), "Stream", typeof(System.IO.Stream));
        AssertUnsupported(typeof(int*), "Int32*", typeof(int*));
        Assert.Contains("ref struct", AssertUnsupported(typeof(Span<int>), "Span<Int32>", typeof(Span<int>)).Message);
        Assert.Contains("open generic", Assert.Throws<UnsupportedTypeException>(() => TypeSerializers.For(typeof(List<>))).Message);
        Assert.Contains("framework type", AssertUnsupported(typeof(System.Text.StringBuilder), "StringBuilder", typeof(System.Text.StringBuilder)).Message);
        AssertUnsupported(typeof(Queue<int>), "Queue<Int32>", typeof(Queue<int>));
        AssertUnsupported(typeof(List<object>), "List<Object>[]", typeof(object));
        Assert.Throws<UnsupportedTypeException>(() => TypeSerializers.For<Dictionary<string, IntPtr>>());
    }

    // ------------------------------------------------------------------ custom serializers

    [Fact]
    public void Register_CustomSerializer_IsUsedForMembersAndElements()
    {
        var custom = new CircleShapeSerializer();
        TypeSerializers.Register<IShape>(custom);
        TypeSerializers.Register<IShape>(custom); // same instance again: no-op
        Assert.Same(custom, TypeSerializers.For<IShape>());

        var drawing = new Drawing("d", [new Circle(1), new Circle(2.5)]);
        var back = RoundTrip(drawing);
        Assert.Equal("d", back.Name);
        Assert.Equal(drawing.Shapes, back.Shapes);
        Assert.Throws<InvalidOperationException>(() => TypeSerializers.Register<IShape>(new CircleShapeSerializer()));
    }

    [Fact]
    public void Register_ZeroByteSerializer_WorksInsideStructsAndCollections()
    {
        TypeSerializers.Register(new EmptyMarkerSerializer());
        var holders = RoundTrip(new List<MarkerHolder> { new(), new(), new() });
        Assert.Equal(3, holders.Count);
        Assert.Equal(5, RoundTrip(new[] { new Marker(), new(), new(), new(), new() }).Length);
    }

    [Fact]
    public void RecursiveStruct_ThroughAList_RoundTrips()
    {
        var node = new StructNode { Value = 1, Children = [new StructNode { Value = 2, Children = [] }, new StructNode { Value = 3 }] };
        var back = RoundTrip(node);
        Assert.Equal(1, back.Value);
        Assert.Equal(2, back.Children.Count);
        Assert.Equal(2, back.Children[0].Value);
        Assert.Empty(back.Children[0].Children);
        Assert.Null(back.Children[1].Children);
        Assert.False(TypeSerializers.For<StructNode>().IsImmutable);
    }

    [Fact]
    public void Register_AfterFirstUse_Throws()
    {
        TypeSerializers.For<UsedBeforeRegister>();
        var ex = Assert.Throws<InvalidOperationException>(() => TypeSerializers.Register(new CircleShapeSerializerFor<UsedBeforeRegister>()));
        Assert.Contains("UsedBeforeRegister", ex.Message);
    }

    private sealed class CircleShapeSerializerFor<T> : TypeSerializer<T>
    {
        public override void Serialize(T value, DataOutput output) => throw new NotSupportedException();
        public override T Deserialize(DataInput input) => throw new NotSupportedException();
    }
}
