namespace StreamShield.Functions;

/// <summary>Receives the records a function emits. Calls are synchronous, on the subtask's thread.</summary>
public interface ICollector<in T>
{
    /// <summary>Emits one record downstream (inheriting the input record's timestamp, if any).</summary>
    void Collect(T record);
}
