using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Authentication;
using StreamShield.Cluster.DataPlane;
using StreamShield.Runtime.Network;
using static StreamShield.Tests.Cluster.DataPlane.DataPlaneTestKit;

namespace StreamShield.Tests.Cluster.DataPlane;

public class DataPlaneConnectionTests
{
    /// <summary>Sends raw bytes to the data port and expects the plane to close the connection.</summary>
    private static void AssertRawClientIsDisconnected(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        client.Connect("127.0.0.1", port);
        client.ReceiveTimeout = (int)Patience.TotalMilliseconds;
        var stream = client.GetStream();
        stream.Write(bytes);
        stream.Flush();
        var buffer = new byte[256];
        try
        {
            // Whatever the plane answers (nothing, or a refusal), the stream must end.
            while (stream.Read(buffer) > 0) { }
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
        }
    }

    private static byte[] Frame(byte type, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, 1 + payload.Length);
        frame[4] = type;
        payload.CopyTo(frame, 5);
        return frame;
    }

    [Fact]
    public void Garbage_and_malformed_frames_close_only_that_connection()
    {
        var log = new ConcurrentQueue<string>();
        using var a = Create("worker-a");
        using var b = Create("worker-b", log: log);
        Introduce(a, b);

        // Not a frame at all (length -1).
        AssertRawClientIsDisconnected(b.Port, Enumerable.Repeat((byte)0xFF, 64).ToArray());
        // A well-formed channel frame before any handshake.
        AssertRawClientIsDisconnected(b.Port, Frame(3, new byte[] { 1, 0, 0, 0, 0, 0, 0 }));
        // A handshake frame whose payload is truncated.
        AssertRawClientIsDisconnected(b.Port, Frame(1, new byte[] { 0x53, 0x53, 0x44 }));
        // A handshake with the wrong magic.
        AssertRawClientIsDisconnected(b.Port, Frame(1, new byte[] { 1, 2, 3, 4, 1, 0, 0, 0, 1, 0, 0x41 }));
        // Logged, but at most once a second (a flood of bad connections must not flood the log).
        WaitUntil(() => log.Any(m => m.Contains("closing the connection from 127.0.0.1")), "malformed connections logged");
        Assert.True(log.Count(m => m.Contains("closing the connection")) <= 2, string.Join("\n", log));

        // The listener still works for a real peer.
        var key = new ChannelKey("attempt-1", 0, "after garbage");
        var signal = new TaskSignal();
        var input = new LocalChannel("after garbage", 8, signal);
        b.RegisterInput(key, "worker-a", input);
        SendBurst(a.OpenOutput(key, "worker-b", 8), 10);
        ReceiveBurst(input, signal, 10);
        Assert.Equal(1, b.ConnectionCount);
    }

    [Fact]
    public void Malformed_batch_after_the_handshake_closes_the_connection_and_reports_the_peer_lost()
    {
        using var b = Create("worker-b", token: null);
        var lost = new BlockingCollection<string>();
        b.PeerLost += (peer, _) => lost.Add(peer);
        using var client = new TcpClient();
        client.Connect("127.0.0.1", b.Port);
        var stream = client.GetStream();
        // A hand-made handshake as worker-a (no token, the proof b's key gives), then a batch with an unknown message type.
        var proof = StreamShield.Cluster.DataPlane.DataPlaneProtocol.Proof(Convert.FromHexString(KeyOf("worker-b")), "worker-a", "worker-b");
        var hello = new List<byte> { 0x53, 0x53, 0x44, 0x50, 2, 0, 0, 0, 8, 0 };
        hello.AddRange("worker-a"u8.ToArray());
        hello.AddRange([(byte)proof.Length, 0]);
        hello.AddRange(proof);
        stream.Write(Frame(1, hello.ToArray()));
        var header = new byte[5];
        stream.ReadExactly(header);
        Assert.Equal(1, header[4]);
        stream.ReadExactly(new byte[BinaryPrimitives.ReadInt32LittleEndian(header) - 1]);
        WaitUntil(() => b.ConnectionCount == 1, "connection attached");
        stream.Write(Frame(3, new byte[] { 99, 1, 0, 0x41, 0, 0, 0, 0 }));
        Assert.True(lost.TryTake(out var peer, Patience));
        Assert.Equal("worker-a", peer);
        WaitUntil(() => b.ConnectionCount == 0, "connection closed");
    }

    [Fact]
    public void Wrong_token_is_refused_without_logging_the_token()
    {
        var log = new ConcurrentQueue<string>();
        using var b = Create("worker-b", token: "right-token-123", log: log);
        using var a = Create("worker-a", token: "wrong-token-456", log: log);
        Introduce(a, b);
        var lost = new BlockingCollection<(string Peer, Exception? Error)>();
        a.PeerLost += (peer, error) => lost.Add((peer, error));

        a.OpenOutput(new ChannelKey("attempt-1", 0, "refused"), "worker-b", 4);
        Assert.True(lost.TryTake(out var report, Patience), "The dialer did not report the refusal.");
        Assert.Equal("worker-b", report.Peer);
        Assert.IsType<AuthenticationException>(report.Error);
        WaitUntil(() => log.Any(m => m.Contains("wrong token") && m.Contains("127.0.0.1")), "refusal logged with the remote endpoint");
        Assert.Equal(0, a.ConnectionCount);
        Assert.Equal(0, b.ConnectionCount);
        Assert.DoesNotContain(log, m => m.Contains("right-token-123") || m.Contains("wrong-token-456"));

        // A peer with the right token still gets in.
        using var c = Create("worker-0", token: "right-token-123");
        Introduce(c, b);
        var key = new ChannelKey("attempt-1", 1, "accepted");
        var signal = new TaskSignal();
        var input = new LocalChannel("accepted", 8, signal);
        b.RegisterInput(key, "worker-0", input);
        SendBurst(c.OpenOutput(key, "worker-b", 8), 3);
        ReceiveBurst(input, signal, 3);
    }

    [Fact]
    public void PeerLost_fires_when_the_other_plane_goes_away_but_not_on_own_dispose()
    {
        using var a = Create("worker-a");
        var b = Create("worker-b");
        Introduce(a, b);
        var lostOnA = new BlockingCollection<string>();
        var lostOnB = new BlockingCollection<string>();
        a.PeerLost += (peer, _) => lostOnA.Add(peer);
        b.PeerLost += (peer, _) => lostOnB.Add(peer);
        var key = new ChannelKey("attempt-1", 0, "b to a");
        var signal = new TaskSignal();
        var input = new LocalChannel("b to a", 8, signal);
        a.RegisterInput(key, "worker-b", input);
        SendBurst(b.OpenOutput(key, "worker-a", 8), 3);
        ReceiveBurst(input, signal, 3);

        b.Dispose();
        Assert.True(lostOnA.TryTake(out var peer, Patience));
        Assert.Equal("worker-b", peer);
        Assert.Empty(lostOnB);
        WaitUntil(() => a.ConnectionCount == 0, "connection gone");
    }

    [Fact]
    public void DisconnectPeer_is_not_reported_locally_and_the_link_reconnects_when_needed()
    {
        using var a = Create("worker-a");
        using var b = Create("worker-b");
        Introduce(a, b);
        var lostOnA = new BlockingCollection<string>();
        var lostOnB = new BlockingCollection<string>();
        a.PeerLost += (peer, _) => lostOnA.Add(peer);
        b.PeerLost += (peer, _) => lostOnB.Add(peer);
        var key1 = new ChannelKey("attempt-1", 0, "first");
        var signal = new TaskSignal();
        var input1 = new LocalChannel("first", 8, signal);
        b.RegisterInput(key1, "worker-a", input1);
        SendBurst(a.OpenOutput(key1, "worker-b", 8), 3);
        ReceiveBurst(input1, signal, 3);

        a.DisconnectPeer("worker-b");
        Assert.True(lostOnB.TryTake(out var peer, Patience));
        Assert.Equal("worker-a", peer);
        WaitUntil(() => a.ConnectionCount == 0 && b.ConnectionCount == 0, "both sides closed");

        // A new attempt needs the peer again: the dialer reconnects.
        a.ReleaseAttempt("attempt-1");
        b.ReleaseAttempt("attempt-1");
        var key2 = new ChannelKey("attempt-2", 0, "second");
        var input2 = new LocalChannel("second", 8, signal);
        b.RegisterInput(key2, "worker-a", input2);
        SendBurst(a.OpenOutput(key2, "worker-b", 8), 3);
        ReceiveBurst(input2, signal, 3);
        Assert.Empty(lostOnA);
        Assert.Equal(1, a.ConnectionCount);
    }

    [Fact]
    public void Unreachable_peer_is_reported_after_the_connect_timeout()
    {
        using var a = Create("worker-a");
        a.ConnectTimeout = TimeSpan.FromSeconds(1);
        // A port nobody listens on: bind one and close it.
        var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        a.SetPeer("worker-z", "127.0.0.1", port, KeyOf("worker-z"));
        var lost = new BlockingCollection<(string Peer, Exception? Error)>();
        a.PeerLost += (peer, error) => lost.Add((peer, error));
        var output = a.OpenOutput(new ChannelKey("attempt-1", 0, "nowhere"), "worker-z", 4);
        output.Enqueue(DataBuffer(output, 10));
        Assert.True(lost.TryTake(out var report, Patience));
        Assert.Equal("worker-z", report.Peer);
        Assert.NotNull(report.Error);
        WaitUntil(() => a.GetPeerMetrics().Single().QueuedFrames == 0, "queued buffers dropped");
    }

    [Fact]
    public void A_handshake_trickled_a_byte_at_a_time_is_cut_off_at_the_handshake_timeout()
    {
        using var b = Create("worker-b");
        b.HandshakeTimeout = TimeSpan.FromSeconds(1);
        using var client = new TcpClient();
        client.Connect("127.0.0.1", b.Port);
        client.ReceiveTimeout = (int)Patience.TotalMilliseconds;
        var stream = client.GetStream();
        // Each byte well within the timeout of one read; the whole handshake never within the timeout.
        var closed = false;
        for (var i = 0; i < 40 && !closed; i++)
        {
            try
            {
                stream.WriteByte(0);
                Thread.Sleep(250);
                closed = client.Client.Poll(0, SelectMode.SelectRead) && client.Available == 0;
            }
            catch (IOException)
            {
                closed = true;
            }
        }
        Assert.True(closed, "the data plane kept a handshake open for 10 s, one byte every 250 ms");
        WaitUntil(() => b.PendingHandshakes == 0, "the handshake slot to be released");
    }

    [Fact]
    public void Connections_that_never_authenticate_hold_a_bounded_number_of_handshakes()
    {
        using var b = Create("worker-b");
        var clients = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var c = new TcpClient();
                c.Connect("127.0.0.1", b.Port);
                clients.Add(c);
            }
            Thread.Sleep(200);
            Assert.InRange(b.PendingHandshakes, 1, StreamShield.Cluster.Transport.HandshakeGate.DefaultMaxPending);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [Fact]
    public void A_hello_claiming_a_live_peers_id_without_its_proof_is_refused_and_the_peer_keeps_its_connection()
    {
        var log = new ConcurrentQueue<string>();
        using var a = Create("worker-a", token: null);
        using var b = Create("worker-b", token: null, log: log);
        Introduce(a, b);
        var key = new ChannelKey("attempt-1", 0, "live");
        var signal = new TaskSignal();
        var input = new LocalChannel("live", 64, signal);
        b.RegisterInput(key, "worker-a", input);
        var output = a.OpenOutput(key, "worker-b", 64);
        output.Enqueue(DataBuffer(output, 10));
        CheckAndRelease(Take(input, signal), 10);
        var handshakes = b.HandshakesCompleted;

        // Without a cluster token, a forger knows every field of worker-a's Hello but the proof; a proof made for
        // another pair, or with another key, is worthless too.
        byte[][] forgedProofs =
        [
            [],
            StreamShield.Cluster.DataPlane.DataPlaneProtocol.Proof(Convert.FromHexString(KeyOf("worker-b")), "worker-c", "worker-b"),
            StreamShield.Cluster.DataPlane.DataPlaneProtocol.Proof(Convert.FromHexString(KeyOf("worker-x")), "worker-a", "worker-b"),
        ];
        foreach (var proof in forgedProofs)
            AssertRawClientIsDisconnected(b.Port, Frame(1, StreamShield.Cluster.DataPlane.DataPlaneProtocol.EncodeHello([], "worker-a", proof)));

        Assert.Equal(handshakes, b.HandshakesCompleted); // no forged handshake completed
        WaitUntil(() => log.Any(m => m.Contains("claiming to be worker worker-a")), "the refusal logged");
        // The real connection was never replaced: data still flows on it.
        output.Enqueue(DataBuffer(output, 10));
        CheckAndRelease(Take(input, signal), 10);
        Assert.Equal(1, b.ConnectionCount);
    }
}

