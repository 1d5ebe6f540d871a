namespace StreamShield.Operators.Join;

/// <summary>Which buffer of an interval join a cleanup timer belongs to (the timers' namespace).</summary>
internal enum IntervalJoinSide : byte
{
    Left,
    Right,
}
