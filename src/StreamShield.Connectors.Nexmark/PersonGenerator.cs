namespace StreamShield.Connectors.Nexmark;

/// <summary>
/// People, as the reference's <c>PersonGenerator</c>: ids follow event ids (one person per run of events), and
/// references to people choose among the most recent <see cref="NexmarkOptions.NumActivePeople"/> plus a few ids
/// not yet created (the "lead", which makes some person and auction events appear swapped in time).
/// </summary>
internal static class PersonGenerator
{
    /// <summary>Ids of people not yet created that a reference may pick (<c>PERSON_ID_LEAD</c>).</summary>
    public const int PersonIdLead = 10;

    /// <summary>Id of the first person (<c>FIRST_PERSON_ID</c>).</summary>
    public const long FirstPersonId = 1000;

    private static readonly string[] States = ["AZ", "CA", "ID", "OR", "WA", "WY"];
    private static readonly string[] Cities = ["Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"];
    private static readonly string[] FirstNames = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"];
    private static readonly string[] LastNames = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"];

    /// <summary>Every "first last" combination, so that a name costs no allocation.</summary>
    private static readonly string[] Names = FirstNames.SelectMany(f => LastNames.Select(l => f + " " + l)).ToArray();

    public static Person Next(long eventId, ref EventRandom random, long timestamp, NexmarkOptions options)
    {
        var id = LastBase0PersonId(options, eventId) + FirstPersonId;
        var name = Names[random.NextInt(FirstNames.Length) * LastNames.Length + random.NextInt(LastNames.Length)];
        var email = NextEmail(ref random);
        var creditCard = NextCreditCard(ref random);
        var city = Cities[random.NextInt(Cities.Length)];
        var state = States[random.NextInt(States.Length)];
        var currentSize = 8 + name.Length + email.Length + creditCard.Length + city.Length + state.Length;
        var extra = RandomStrings.Extra(ref random, currentSize, options.AvgPersonByteSize);
        return new Person(id, name, email, creditCard, city, state, timestamp, extra);
    }

    /// <summary>
    /// The last person id (base 0) created at or before <paramref name="eventId"/>: the current one if the event is
    /// a person.
    /// </summary>
    public static long LastBase0PersonId(NexmarkOptions options, long eventId)
    {
        var epoch = eventId / options.TotalProportion;
        var offset = eventId % options.TotalProportion;
        if (offset >= options.PersonProportion) offset = options.PersonProportion - 1; // an auction or bid: the epoch's last person
        return epoch * options.PersonProportion + offset;
    }

    /// <summary>A random active person id (base 0), possibly up to <see cref="PersonIdLead"/> ahead of the last created.</summary>
    public static long NextBase0PersonId(long eventId, ref EventRandom random, NexmarkOptions options)
    {
        var numPeople = LastBase0PersonId(options, eventId) + 1;
        var activePeople = Math.Min(numPeople, options.NumActivePeople);
        var n = random.NextLong(activePeople + PersonIdLead);
        return numPeople - activePeople + n;
    }

    /// <summary><c>xxxxxxx@xxxxx.com</c> with random parts of 3–6 and 3–4 characters (the reference's <c>nextEmail</c>).</summary>
    private static string NextEmail(ref EventRandom random)
    {
        Span<char> buffer = stackalloc char[32];
        var at = RandomStrings.Write(ref random, buffer, 7);
        buffer[at++] = '@';
        at += RandomStrings.Write(ref random, buffer[at..], 5);
        ".com".CopyTo(buffer[at..]);
        return new string(buffer[..(at + 4)]);
    }

    /// <summary>Four space-separated groups of four digits.</summary>
    private static string NextCreditCard(ref EventRandom random)
    {
        Span<char> buffer = stackalloc char[19];
        for (var group = 0; group < 4; group++)
        {
            var value = random.NextInt(10_000);
            var at = group * 5;
            if (group > 0) buffer[at - 1] = ' ';
            for (var digit = 3; digit >= 0; digit--, value /= 10) buffer[at + digit] = (char)('0' + value % 10);
        }
        return new string(buffer);
    }
}
