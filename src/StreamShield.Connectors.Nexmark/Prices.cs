namespace StreamShield.Connectors.Nexmark;

/// <summary>Prices in cents, log-uniform from $1 to $1,000,000 (the reference's <c>PriceGenerator</c>).</summary>
internal static class Prices
{
    public static long Next(ref EventRandom random) => (long)Math.Floor(Math.Pow(10.0, random.NextDouble() * 6.0) * 100.0 + 0.5);
}
