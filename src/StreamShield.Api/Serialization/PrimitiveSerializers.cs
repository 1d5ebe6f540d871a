using System.Buffers.Binary;

namespace StreamShield.Serialization;

/// <summary>
/// The built-in scalar serializers. All are immutable, never box and never allocate (except <see cref="string"/> on read).
/// </summary>
/// <remarks>
/// Wire format (little-endian, fixed width): bool/byte/sbyte 1 byte; short/ushort/char/Half 2; int/uint/float 4;
/// long/ulong/double/TimeSpan (ticks)/TimeOnly (ticks) 8; DateOnly 4 (day number); decimal 16 (the four
/// <see cref="decimal.GetBits(decimal)"/> words); Int128/UInt128 16 (low then high 64 bits); Guid 16
/// (<see cref="Guid.TryWriteBytes(Span{byte})"/> order); DateTime 8 (ticks in the low 62 bits, <see cref="DateTimeKind"/> in the
/// top 2 bits); DateTimeOffset 10 (local clock ticks as int64, then the offset in minutes as int16);
/// string: int32 UTF-8 byte length (-1 for null) followed by the bytes.
/// </remarks>
internal static class PrimitiveSerializers
{
    private static readonly Dictionary<Type, object> s_byType = new()
    {
        [typeof(bool)] = new BooleanSerializer(),
        [typeof(byte)] = new ByteSerializer(),
        [typeof(sbyte)] = new SByteSerializer(),
        [typeof(short)] = new Int16Serializer(),
        [typeof(ushort)] = new UInt16Serializer(),
        [typeof(int)] = new Int32Serializer(),
        [typeof(uint)] = new UInt32Serializer(),
        [typeof(long)] = new Int64Serializer(),
        [typeof(ulong)] = new UInt64Serializer(),
        [typeof(float)] = new SingleSerializer(),
        [typeof(double)] = new DoubleSerializer(),
        [typeof(decimal)] = new DecimalSerializer(),
        [typeof(char)] = new CharSerializer(),
        [typeof(string)] = new StringSerializer(),
        [typeof(DateTime)] = new DateTimeSerializer(),
        [typeof(DateTimeOffset)] = new DateTimeOffsetSerializer(),
        [typeof(TimeSpan)] = new TimeSpanSerializer(),
        [typeof(Guid)] = new GuidSerializer(),
        [typeof(DateOnly)] = new DateOnlySerializer(),
        [typeof(TimeOnly)] = new TimeOnlySerializer(),
        [typeof(Half)] = new HalfSerializer(),
        [typeof(Int128)] = new Int128Serializer(),
        [typeof(UInt128)] = new UInt128Serializer(),
    };

    /// <summary>Returns the built-in serializer for a scalar type, or null.</summary>
    public static object? Find(Type type) => s_byType.GetValueOrDefault(type);

    /// <summary>Serializer for <see cref="bool"/> (one byte, 0 or 1).</summary>
    internal sealed class BooleanSerializer : InlineSerializer<bool>
    {
        public static void Write(bool value, DataOutput output) => output.WriteBoolean(value);
        public static bool Read(DataInput input) => input.ReadBoolean();
        public override void Serialize(bool value, DataOutput output) => Write(value, output);
        public override bool Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="byte"/>.</summary>
    internal sealed class ByteSerializer : InlineSerializer<byte>
    {
        public static void Write(byte value, DataOutput output) => output.WriteByte(value);
        public static byte Read(DataInput input) => input.ReadByte();
        public override void Serialize(byte value, DataOutput output) => Write(value, output);
        public override byte Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="sbyte"/>.</summary>
    internal sealed class SByteSerializer : InlineSerializer<sbyte>
    {
        public static void Write(sbyte value, DataOutput output) => output.WriteByte((byte)value);
        public static sbyte Read(DataInput input) => (sbyte)input.ReadByte();
        public override void Serialize(sbyte value, DataOutput output) => Write(value, output);
        public override sbyte Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="short"/>.</summary>
    internal sealed class Int16Serializer : InlineSerializer<short>
    {
        public static void Write(short value, DataOutput output) => output.WriteInt16(value);
        public static short Read(DataInput input) => input.ReadInt16();
        public override void Serialize(short value, DataOutput output) => Write(value, output);
        public override short Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="ushort"/>.</summary>
    internal sealed class UInt16Serializer : InlineSerializer<ushort>
    {
        public static void Write(ushort value, DataOutput output) => output.WriteInt16((short)value);
        public static ushort Read(DataInput input) => (ushort)input.ReadInt16();
        public override void Serialize(ushort value, DataOutput output) => Write(value, output);
        public override ushort Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="int"/>.</summary>
    internal sealed class Int32Serializer : InlineSerializer<int>
    {
        public static void Write(int value, DataOutput output) => output.WriteInt32(value);
        public static int Read(DataInput input) => input.ReadInt32();
        public override void Serialize(int value, DataOutput output) => Write(value, output);
        public override int Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="uint"/>.</summary>
    internal sealed class UInt32Serializer : InlineSerializer<uint>
    {
        public static void Write(uint value, DataOutput output) => output.WriteInt32((int)value);
        public static uint Read(DataInput input) => (uint)input.ReadInt32();
        public override void Serialize(uint value, DataOutput output) => Write(value, output);
        public override uint Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="long"/>.</summary>
    internal sealed class Int64Serializer : InlineSerializer<long>
    {
        public static void Write(long value, DataOutput output) => output.WriteInt64(value);
        public static long Read(DataInput input) => input.ReadInt64();
        public override void Serialize(long value, DataOutput output) => Write(value, output);
        public override long Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="ulong"/>.</summary>
    internal sealed class UInt64Serializer : InlineSerializer<ulong>
    {
        public static void Write(ulong value, DataOutput output) => output.WriteInt64((long)value);
        public static ulong Read(DataInput input) => (ulong)input.ReadInt64();
        public override void Serialize(ulong value, DataOutput output) => Write(value, output);
        public override ulong Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="float"/> (IEEE bits, so NaN payloads and -0 survive).</summary>
    internal sealed class SingleSerializer : InlineSerializer<float>
    {
        public static void Write(float value, DataOutput output) => output.WriteSingle(value);
        public static float Read(DataInput input) => input.ReadSingle();
        public override void Serialize(float value, DataOutput output) => Write(value, output);
        public override float Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="double"/> (IEEE bits, so NaN payloads and -0 survive).</summary>
    internal sealed class DoubleSerializer : InlineSerializer<double>
    {
        public static void Write(double value, DataOutput output) => output.WriteDouble(value);
        public static double Read(DataInput input) => input.ReadDouble();
        public override void Serialize(double value, DataOutput output) => Write(value, output);
        public override double Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="decimal"/> (the four 32-bit words of <see cref="decimal.GetBits(decimal)"/>; scale is preserved).</summary>
    internal sealed class DecimalSerializer : InlineSerializer<decimal>
    {
        public static void Write(decimal value, DataOutput output)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            output.WriteInt32(bits[0]);
            output.WriteInt32(bits[1]);
            output.WriteInt32(bits[2]);
            output.WriteInt32(bits[3]);
        }

        public static decimal Read(DataInput input)
        {
            Span<int> bits = stackalloc int[4];
            bits[0] = input.ReadInt32();
            bits[1] = input.ReadInt32();
            bits[2] = input.ReadInt32();
            bits[3] = input.ReadInt32();
            // Flags: bits 0-15 and 24-30 must be zero, scale (16-23) at most 28.
            var flags = bits[3];
            if ((flags & 0x7F00FFFF) != 0 || ((flags >> 16) & 0xFF) > 28)
                throw new CorruptDataException($"Invalid decimal flags 0x{flags:X8}.");
            return new decimal(bits);
        }

        public override void Serialize(decimal value, DataOutput output) => Write(value, output);
        public override decimal Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="char"/> (one UTF-16 code unit, so lone surrogates survive).</summary>
    internal sealed class CharSerializer : InlineSerializer<char>
    {
        public static void Write(char value, DataOutput output) => output.WriteInt16((short)value);
        public static char Read(DataInput input) => (char)(ushort)input.ReadInt16();
        public override void Serialize(char value, DataOutput output) => Write(value, output);
        public override char Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="string"/>: int32 UTF-8 byte length (-1 for null), then the bytes.</summary>
    internal sealed class StringSerializer : InlineSerializer<string>
    {
        public static void Write(string value, DataOutput output) => output.WriteString(value);
        public static string Read(DataInput input) => input.ReadString()!;
        public override void Serialize(string value, DataOutput output) => Write(value, output);
        public override string Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="DateTime"/>: ticks (low 62 bits) and <see cref="DateTimeKind"/> (top 2 bits) in one int64.</summary>
    internal sealed class DateTimeSerializer : InlineSerializer<DateTime>
    {
        private const ulong TicksMask = 0x3FFF_FFFF_FFFF_FFFF;

        public static void Write(DateTime value, DataOutput output) =>
            output.WriteInt64((long)((ulong)value.Ticks | ((ulong)value.Kind << 62)));

        public static DateTime Read(DataInput input)
        {
            var raw = (ulong)input.ReadInt64();
            var ticks = (long)(raw & TicksMask);
            var kind = (int)(raw >> 62);
            if (ticks > DateTime.MaxValue.Ticks || kind > (int)DateTimeKind.Local)
                throw new CorruptDataException($"Invalid DateTime encoding 0x{raw:X16}.");
            return new DateTime(ticks, (DateTimeKind)kind);
        }

        public override void Serialize(DateTime value, DataOutput output) => Write(value, output);
        public override DateTime Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="DateTimeOffset"/>: local clock ticks (int64) and offset minutes (int16).</summary>
    internal sealed class DateTimeOffsetSerializer : InlineSerializer<DateTimeOffset>
    {
        public static void Write(DateTimeOffset value, DataOutput output)
        {
            output.WriteInt64(value.Ticks);
            output.WriteInt16((short)(value.Offset.Ticks / TimeSpan.TicksPerMinute));
        }

        public static DateTimeOffset Read(DataInput input)
        {
            var ticks = input.ReadInt64();
            var minutes = input.ReadInt16();
            if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks || minutes is < -14 * 60 or > 14 * 60)
                throw new CorruptDataException($"Invalid DateTimeOffset encoding (ticks {ticks}, offset {minutes} min).");
            var offset = new TimeSpan(minutes * TimeSpan.TicksPerMinute);
            var utcTicks = ticks - offset.Ticks;
            if ((ulong)utcTicks > (ulong)DateTime.MaxValue.Ticks)
                throw new CorruptDataException($"Invalid DateTimeOffset encoding (ticks {ticks}, offset {minutes} min).");
            return new DateTimeOffset(ticks, offset);
        }

        public override void Serialize(DateTimeOffset value, DataOutput output) => Write(value, output);
        public override DateTimeOffset Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="TimeSpan"/> (ticks as int64).</summary>
    internal sealed class TimeSpanSerializer : InlineSerializer<TimeSpan>
    {
        public static void Write(TimeSpan value, DataOutput output) => output.WriteInt64(value.Ticks);
        public static TimeSpan Read(DataInput input) => new(input.ReadInt64());
        public override void Serialize(TimeSpan value, DataOutput output) => Write(value, output);
        public override TimeSpan Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="Guid"/> (16 bytes).</summary>
    internal sealed class GuidSerializer : InlineSerializer<Guid>
    {
        public static void Write(Guid value, DataOutput output)
        {
            Span<byte> bytes = stackalloc byte[16];
            value.TryWriteBytes(bytes);
            output.WriteBytes(bytes);
        }

        public static Guid Read(DataInput input) => new(input.ReadBytes(16));
        public override void Serialize(Guid value, DataOutput output) => Write(value, output);
        public override Guid Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="DateOnly"/> (day number as int32).</summary>
    internal sealed class DateOnlySerializer : InlineSerializer<DateOnly>
    {
        private static readonly int s_maxDayNumber = DateOnly.MaxValue.DayNumber;

        public static void Write(DateOnly value, DataOutput output) => output.WriteInt32(value.DayNumber);

        public static DateOnly Read(DataInput input)
        {
            var day = input.ReadInt32();
            if ((uint)day > (uint)s_maxDayNumber) throw new CorruptDataException($"Invalid DateOnly day number {day}.");
            return DateOnly.FromDayNumber(day);
        }

        public override void Serialize(DateOnly value, DataOutput output) => Write(value, output);
        public override DateOnly Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="TimeOnly"/> (ticks as int64).</summary>
    internal sealed class TimeOnlySerializer : InlineSerializer<TimeOnly>
    {
        public static void Write(TimeOnly value, DataOutput output) => output.WriteInt64(value.Ticks);

        public static TimeOnly Read(DataInput input)
        {
            var ticks = input.ReadInt64();
            if ((ulong)ticks > (ulong)TimeOnly.MaxValue.Ticks) throw new CorruptDataException($"Invalid TimeOnly ticks {ticks}.");
            return new TimeOnly(ticks);
        }

        public override void Serialize(TimeOnly value, DataOutput output) => Write(value, output);
        public override TimeOnly Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="Half"/> (IEEE bits as int16).</summary>
    internal sealed class HalfSerializer : InlineSerializer<Half>
    {
        public static void Write(Half value, DataOutput output) => output.WriteInt16(BitConverter.HalfToInt16Bits(value));
        public static Half Read(DataInput input) => BitConverter.Int16BitsToHalf(input.ReadInt16());
        public override void Serialize(Half value, DataOutput output) => Write(value, output);
        public override Half Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="Int128"/> (16 bytes, little-endian).</summary>
    internal sealed class Int128Serializer : InlineSerializer<Int128>
    {
        public static void Write(Int128 value, DataOutput output)
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteInt128LittleEndian(bytes, value);
            output.WriteBytes(bytes);
        }

        public static Int128 Read(DataInput input) => BinaryPrimitives.ReadInt128LittleEndian(input.ReadBytes(16));
        public override void Serialize(Int128 value, DataOutput output) => Write(value, output);
        public override Int128 Deserialize(DataInput input) => Read(input);
    }

    /// <summary>Serializer for <see cref="UInt128"/> (16 bytes, little-endian).</summary>
    internal sealed class UInt128Serializer : InlineSerializer<UInt128>
    {
        public static void Write(UInt128 value, DataOutput output)
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128LittleEndian(bytes, value);
            output.WriteBytes(bytes);
        }

        public static UInt128 Read(DataInput input) => BinaryPrimitives.ReadUInt128LittleEndian(input.ReadBytes(16));
        public override void Serialize(UInt128 value, DataOutput output) => Write(value, output);
        public override UInt128 Deserialize(DataInput input) => Read(input);
    }
}
