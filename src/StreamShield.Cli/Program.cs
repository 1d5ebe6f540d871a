namespace StreamShield.Cli; static class P { static int Main() => 0; }
