namespace StreamShield.Serialization;

/// <summary>Thrown when serialized bytes (a network buffer, a state snapshot, checkpoint metadata) are truncated or malformed.</summary>
public sealed class CorruptDataException(string message) : Exception(message);
