namespace StreamShield.Serialization;

/// <summary>
/// Marks the serializers created by <see cref="TypeSerializers"/>. Built-in serializers write at least one byte per value
/// (structs: see <see cref="IObjectSerializer.AlwaysWritesBytes"/>), which lets collection readers reject corrupt element counts
/// larger than the remaining input before allocating. User-registered serializers carry no such guarantee.
/// </summary>
internal interface IBuiltInSerializer;
