import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Lesson 06 · UDP: datagrams instead of a stream", .mayBlock)
struct Lesson06Tests {
    /// Starts `lesson06-server` on a free port with `arguments` and returns it
    /// with its port, once its "listening on" line has been read.
    func startServer(_ arguments: [String], before deadline: ContinuousClock.Instant) throws -> (
        LessonProcess, UInt16
    ) {
        let server = try LessonProcess("lesson06-server", arguments: ["--port", "0"] + arguments)
        let line = try server.waitForLine(containing: "server: listening on ", before: deadline)
        return (server, try #require(listeningPort(line)))
    }

    /// A UDP port with nobody on it: bind port 0, note the port, close.
    /// UDP has no TIME_WAIT, so the port is free again at once.
    func freePort() throws -> UInt16 {
        let socket = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        return try socket.localAddress().port
    }

    /// The next `count` lines of `process`, each before `deadline`.
    func lines(_ count: Int, of process: LessonProcess, before deadline: ContinuousClock.Instant)
        throws -> [String]
    {
        try (0..<count).map { _ in try #require(try process.nextLine(before: deadline)) }
    }

    /// The port at the end of a line such as `... from 127.0.0.1:54321`.
    func senderPort(_ line: String) -> Substring? {
        line.split(separator: ":").last
    }

    @Test(
        "\"a\", \"bb\" and \"ccc\", queued together, come out as three recvfrom results, never merged"
    )
    func boundariesKept() throws {
        let deadline = ContinuousClock.now + runDeadline
        let (server, port) = try startServer(["--pause"], before: deadline)
        _ = try server.waitForLine(containing: "server: paused", before: deadline)
        let client = try LessonProcess(
            "lesson06-client", arguments: ["--port", "\(port)", "--burst", "--timeout", "5"])
        client.send("a\nbb\nccc\n")
        client.closeInput()
        // Over loopback, sendto hands the datagram to the server's socket before
        // it returns, so once the third sendto is printed all three are queued.
        _ = try client.waitForLine(containing: "client: sendto(\"ccc\"", before: deadline)
        server.send("\n")
        let served = try lines(6, of: server, before: deadline)
        let from = try #require(senderPort(served[0]))
        #expect(
            served == [
                "server: recvfrom(1024) -> \"a\" (1 byte) from 127.0.0.1:\(from)",
                "server: sendto(\"A\", 127.0.0.1:\(from)) -> 1 byte",
                "server: recvfrom(1024) -> \"bb\" (2 bytes) from 127.0.0.1:\(from)",
                "server: sendto(\"BB\", 127.0.0.1:\(from)) -> 2 bytes",
                "server: recvfrom(1024) -> \"ccc\" (3 bytes) from 127.0.0.1:\(from)",
                "server: sendto(\"CCC\", 127.0.0.1:\(from)) -> 3 bytes",
            ])
        let end = try client.finish(before: deadline)
        #expect(
            end.lines == [
                "client: recvfrom(1024) -> \"A\" (1 byte) from 127.0.0.1:\(port)",
                "client: recvfrom(1024) -> \"BB\" (2 bytes) from 127.0.0.1:\(port)",
                "client: recvfrom(1024) -> \"CCC\" (3 bytes) from 127.0.0.1:\(port)",
            ])
        #expect(end.status == 0)
    }

    @Test(
        "with --buffer 4, \"hello\" arrives as \"hell\", 1 byte is reported lost, and the next recvfrom gets the next datagram"
    )
    func truncation() throws {
        let deadline = ContinuousClock.now + runDeadline
        let (server, port) = try startServer(
            ["--buffer", "4", "--reply", "echo"], before: deadline)
        let client = try LessonProcess(
            "lesson06-client", arguments: ["--port", "\(port)", "--timeout", "5"])
        client.send("hello\nhi\n")
        let end = try client.finish(before: deadline)
        let served = try lines(4, of: server, before: deadline)
        let from = try #require(senderPort(served[0]))
        #expect(
            served == [
                "server: recvfrom(4) -> \"hell\" (truncated: 4 of 5 bytes, 1 byte lost) from 127.0.0.1:\(from)",
                "server: sendto(\"hell\", 127.0.0.1:\(from)) -> 4 bytes",
                "server: recvfrom(4) -> \"hi\" (2 bytes) from 127.0.0.1:\(from)",
                "server: sendto(\"hi\", 127.0.0.1:\(from)) -> 2 bytes",
            ])
        #expect(
            end.lines == [
                "client: sendto(\"hello\", 127.0.0.1:\(port)) -> 5 bytes",
                "client: recvfrom(1024) -> \"hell\" (4 bytes) from 127.0.0.1:\(port)",
                "client: sendto(\"hi\", 127.0.0.1:\(port)) -> 2 bytes",
                "client: recvfrom(1024) -> \"hi\" (2 bytes) from 127.0.0.1:\(port)",
            ])
        #expect(end.status == 0)
    }

    @Test("two clients talk to one server socket with no accept; each reply goes to its own sender")
    func twoClients() throws {
        let deadline = ContinuousClock.now + runDeadline
        let (server, port) = try startServer([], before: deadline)
        let arguments = ["--port", "\(port)", "--timeout", "5"]
        let first = try LessonProcess("lesson06-client", arguments: arguments)
        let second = try LessonProcess("lesson06-client", arguments: arguments)
        first.send("one\n")
        _ = try first.waitForLine(containing: "client: recvfrom(1024) -> \"ONE\"", before: deadline)
        second.send("two\n")
        _ = try second.waitForLine(
            containing: "client: recvfrom(1024) -> \"TWO\"", before: deadline)
        first.send("three\n")
        _ = try first.waitForLine(
            containing: "client: recvfrom(1024) -> \"THREE\"", before: deadline)
        let served = try lines(6, of: server, before: deadline)
        let a = try #require(senderPort(served[0]))
        let b = try #require(senderPort(served[2]))
        #expect(a != b)
        #expect(
            served == [
                "server: recvfrom(1024) -> \"one\" (3 bytes) from 127.0.0.1:\(a)",
                "server: sendto(\"ONE\", 127.0.0.1:\(a)) -> 3 bytes",
                "server: recvfrom(1024) -> \"two\" (3 bytes) from 127.0.0.1:\(b)",
                "server: sendto(\"TWO\", 127.0.0.1:\(b)) -> 3 bytes",
                "server: recvfrom(1024) -> \"three\" (5 bytes) from 127.0.0.1:\(a)",
                "server: sendto(\"THREE\", 127.0.0.1:\(a)) -> 5 bytes",
            ])
        #expect(try first.finish(before: deadline).status == 0)
        #expect(try second.finish(before: deadline).status == 0)
    }

    @Test(
        "a client started before its server times out, sends again, and gets its answer once the server is up"
    )
    func clientFirst() throws {
        let deadline = ContinuousClock.now + runDeadline
        let port = try freePort()
        let client = try LessonProcess(
            "lesson06-client",
            arguments: ["--port", "\(port)", "--timeout", "0.2", "--retries", "50"])
        client.send("hello\n")
        client.closeInput()
        // The first try went to a port with no socket: the kernel dropped it.
        let first = try lines(2, of: client, before: deadline)
        #expect(
            first == [
                "client: sendto(\"hello\", 127.0.0.1:\(port)) -> 5 bytes",
                "client: no answer within 0.20 s (try 1 of 51)",
            ])
        let server = try LessonProcess("lesson06-server", arguments: ["--port", "\(port)"])
        _ = try server.waitForLine(
            containing: "server: listening on 127.0.0.1:\(port)", before: deadline)
        let end = try client.finish(before: deadline)
        #expect(
            end.lines.last == "client: recvfrom(1024) -> \"HELLO\" (5 bytes) from 127.0.0.1:\(port)"
        )
        #expect(end.status == 0)
        let served = try #require(try server.nextLine(before: deadline))
        #expect(served.hasPrefix("server: recvfrom(1024) -> \"hello\" (5 bytes) from 127.0.0.1:"))
    }

    @Test("a connected client sending where nobody listens is told \"Connection refused\" at once")
    func connectedRefused() throws {
        let port = try freePort()
        let started = ContinuousClock.now
        let client = try LessonProcess(
            "lesson06-client", arguments: ["--port", "\(port)", "--connect", "--timeout", "5"])
        client.send("hi\n")
        let end = try client.finish(before: started + runDeadline)
        #expect(
            end.lines == [
                "client: connect(127.0.0.1:\(port)) -> 0: no packet sent, the peer is only noted",
                "client: send(\"hi\") -> 2 bytes",
            ])
        #expect(
            end.errorLines == [
                "client: recvfrom(1024): Connection refused (ECONNREFUSED) - is the server running, on this host and port?"
            ])
        #expect(end.status == 1)
        // The refusal came back long before the 5 s timeout could expire.
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test(
        "an unconnected client sending where nobody listens hears nothing: it times out, retries and gives up"
    )
    func unconnectedSilence() throws {
        let port = try freePort()
        let client = try LessonProcess(
            "lesson06-client",
            arguments: ["--port", "\(port)", "--timeout", "0.2", "--retries", "1"])
        client.send("hi\n")
        let end = try client.finish(before: .now + runDeadline)
        #expect(
            end.lines == [
                "client: sendto(\"hi\", 127.0.0.1:\(port)) -> 2 bytes",
                "client: no answer within 0.20 s (try 1 of 2)",
                "client: sendto(\"hi\", 127.0.0.1:\(port)) -> 2 bytes",
                "client: no answer within 0.20 s (try 2 of 2)",
            ])
        #expect(
            end.errorLines == [
                "client: no answer from 127.0.0.1:\(port) after 2 tries; is the server running?"
            ])
        #expect(end.status == 1)
    }

    @Test(
        "a late duplicate reply waits in the client's queue and is taken as the answer to its next request"
    )
    func staleReply() throws {
        let deadline = ContinuousClock.now + runDeadline
        // The test plays a slow server: it answers "one" twice, late, and never answers "two".
        let server = try UDPSocket(host: "127.0.0.1", port: 0)
        try server.setReceiveTimeout(seconds: 10)
        let port = try server.localAddress().port
        let client = try LessonProcess(
            "lesson06-client",
            arguments: ["--port", "\(port)", "--timeout", "0.3", "--retries", "20"])
        client.send("one\ntwo\n")
        client.closeInput()
        let request = try server.receive(upTo: 64)
        #expect(request.bytes == Array("one".utf8))
        _ = try client.waitForLine(containing: "client: no answer within 0.30 s", before: deadline)
        try server.send(Array("reply 1".utf8), to: request.sender)
        try server.send(Array("reply 2".utf8), to: request.sender)
        let end = try client.finish(before: deadline)
        // However many times "one" went out, the first reply answers it, and the
        // second, still queued, is read as the answer to "two".
        let two = try #require(
            end.lines.firstIndex(of: "client: sendto(\"two\", 127.0.0.1:\(port)) -> 3 bytes"))
        #expect(
            end.lines[two - 1]
                == "client: recvfrom(1024) -> \"reply 1\" (7 bytes) from 127.0.0.1:\(port)")
        #expect(
            Array(end.lines[(two + 1)...]) == [
                "client: recvfrom(1024) -> \"reply 2\" (7 bytes) from 127.0.0.1:\(port)"
            ])
        #expect(end.status == 0)
    }

    @Test(
        "the server survives empty, binary, invalid UTF-8 and oversized datagrams and keeps answering"
    )
    func survivesAnyDatagram() throws {
        let deadline = ContinuousClock.now + runDeadline
        let (server, port) = try startServer(
            ["--buffer", "16", "--reply", "echo"], before: deadline)
        let peer = try UDPSocket(family: AF_INET)
        try peer.setReceiveTimeout(seconds: 5)
        let address = try resolveDatagram(host: "127.0.0.1", port: port)
        let oversized = [UInt8](repeating: UInt8(ascii: "x"), count: 20)
        let datagrams: [[UInt8]] = [
            [], [0x00, 0xFF, 0x80], [0xC3, 0x28], oversized, Array("still there?".utf8),
        ]
        var replies: [[UInt8]] = []
        for datagram in datagrams {
            try peer.send(datagram, to: address)
            replies.append(try peer.receive(upTo: 64).bytes)
        }
        #expect(
            replies == [
                [], [0x00, 0xFF, 0x80], [0xC3, 0x28], Array(oversized.prefix(16)),
                Array("still there?".utf8),
            ])
        let from = try peer.localAddress().port
        let received = try lines(10, of: server, before: deadline).enumerated()
            .filter { $0.offset % 2 == 0 }.map(\.element)
        #expect(
            received == [
                "server: recvfrom(16) -> \"\" (0 bytes: an empty datagram) from 127.0.0.1:\(from)",
                "server: recvfrom(16) -> \"\\x00\\xff\\x80\" (3 bytes) from 127.0.0.1:\(from)",
                "server: recvfrom(16) -> \"\\xc3(\" (2 bytes) from 127.0.0.1:\(from)",
                "server: recvfrom(16) -> \"xxxxxxxxxxxxxxxx\" (truncated: 16 of 20 bytes, 4 bytes lost) from 127.0.0.1:\(from)",
                "server: recvfrom(16) -> \"still there?\" (12 bytes) from 127.0.0.1:\(from)",
            ])
    }

    @Test("the lesson runs over IPv6 loopback and prints addresses as [::1]:port")
    func ipv6() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try LessonProcess(
            "lesson06-server", arguments: ["--host", "::1", "--port", "0"])
        let port = try #require(
            listeningPort(
                try server.waitForLine(containing: "listening on [::1]:", before: deadline)))
        let client = try LessonProcess(
            "lesson06-client", arguments: ["--host", "::1", "--port", "\(port)", "--timeout", "5"])
        client.send("six\n")
        let end = try client.finish(before: deadline)
        #expect(
            end.lines == [
                "client: sendto(\"six\", [::1]:\(port)) -> 3 bytes",
                "client: recvfrom(1024) -> \"SIX\" (3 bytes) from [::1]:\(port)",
            ])
        #expect(
            try #require(try server.nextLine(before: deadline)).hasPrefix(
                "server: recvfrom(1024) -> \"six\" (3 bytes) from [::1]:"))
    }

    @Test("--reply takes only upper or echo, and --buffer at most 65536; anything else exits 2")
    func badFlags() throws {
        let reply = try runAlone("lesson06-server", ["--reply", "loud"])
        #expect(reply.errorLines == ["server: --reply: \"loud\" is not one of upper, echo"])
        #expect(reply.status == 2)
        let buffer = try runAlone("lesson06-server", ["--buffer", "70000"])
        #expect(
            buffer.errorLines == [
                "server: --buffer: \"70000\" is not a whole number from 1 to 65536"
            ])
        #expect(buffer.status == 2)
    }
}

@Suite("Lesson 06 · by hand, and replies from strangers", .mayBlock)
struct Lesson06ByHandTests {
    @Test(
        "by hand at two terminals, --typed waits for the reply a person types, with a start line and a prompt, and sends once"
    )
    func byHand() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try TerminalProcess("lesson06-server", arguments: ["--port", "0"])
        let start = try server.waitFor("\n", before: deadline)
        let port = try #require(listeningPort(String(start.dropLast())))
        try server.waitFor(
            "server: you type each reply at the >>> prompt; start the client with --typed to wait for it\n",
            before: deadline)
        let client = try TerminalProcess(
            "lesson06-client", arguments: ["--port", "\(port)", "--typed"])
        try client.waitFor(
            "client: sending to 127.0.0.1:\(port); type a line, Ctrl-D to end\nsend> ",
            before: deadline)
        client.type("hi\n")
        let asked = try server.waitFor(">>> ", before: deadline)
        #expect(asked.hasPrefix("server: recvfrom(1024) -> \"hi\" (2 bytes) from 127.0.0.1:"))
        // The person at the server takes their time: longer than the default 1 s timeout.
        let thinking = ContinuousClock.now + .milliseconds(1300)
        while ContinuousClock.now < thinking { _ = try? server.waitFor("never", before: thinking) }
        server.type("hello there\n")
        try server.waitFor("server: sendto(\"hello there\", 127.0.0.1:", before: deadline)
        let answered = try client.waitFor("send> ", before: deadline)
        #expect(
            answered
                == "hi\nclient: sendto(\"hi\", 127.0.0.1:\(port)) -> 2 bytes\n"
                + "client: recvfrom(1024) -> \"hello there\" (11 bytes) from 127.0.0.1:\(port)\n"
                + "send> ")
        client.type("\u{4}")
        #expect(try client.exitStatus(before: deadline) == 0)
        // One "hi" reached the server, and it is still waiting for the next datagram.
        #expect(server.screen.components(separatedBy: "recvfrom(").count == 2)
    }

    @Test("--typed refuses --timeout and --retries, which it would ignore")
    func typedLimits() throws {
        let end = try runAlone("lesson06-client", ["--typed", "--timeout", "5"])
        #expect(
            end.errorLines == [
                "client: --typed waits for each reply as long as it takes and never sends again; leave out --timeout and --retries"
            ])
        #expect(end.status == 1)
    }

    @Test("--connect ignores a stranger's datagram: the kernel delivers only the server's reply")
    func connectedIgnoresStranger() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try UDPSocket(host: "127.0.0.1", port: 0)
        try server.setReceiveTimeout(seconds: 10)
        let stranger = try UDPSocket(host: "127.0.0.1", port: 0)
        let port = try server.localAddress().port
        let client = try LessonProcess(
            "lesson06-client", arguments: ["--port", "\(port)", "--connect", "--timeout", "5"])
        client.send("hi\n")
        let request = try server.receive(upTo: 64)
        #expect(request.bytes == bytes("hi"))
        // Over loopback, sendto hands each datagram to the client's socket before it
        // returns: the stranger's comes first, and the client reads only one.
        try stranger.send(bytes("fake"), to: request.sender)
        try server.send(bytes("real"), to: request.sender)
        let end = try client.finish(before: deadline)
        #expect(
            end.lines == [
                "client: connect(127.0.0.1:\(port)) -> 0: no packet sent, the peer is only noted",
                "client: send(\"hi\") -> 2 bytes",
                "client: recvfrom(1024) -> \"real\" (4 bytes) from 127.0.0.1:\(port)",
            ])
        #expect(end.status == 0)
    }

    @Test(
        "unconnected, the client takes a stranger's datagram as the reply and its trace says it is not the server's"
    )
    func unconnectedNamesStranger() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try UDPSocket(host: "127.0.0.1", port: 0)
        try server.setReceiveTimeout(seconds: 10)
        let stranger = try UDPSocket(host: "127.0.0.1", port: 0)
        let (port, strangerPort) = (
            try server.localAddress().port, try stranger.localAddress().port
        )
        let client = try LessonProcess(
            "lesson06-client", arguments: ["--port", "\(port)", "--timeout", "5"])
        client.send("hi\n")
        let request = try server.receive(upTo: 64)
        try stranger.send(bytes("fake"), to: request.sender)
        try server.send(bytes("real"), to: request.sender)
        let end = try client.finish(before: deadline)
        #expect(
            end.lines == [
                "client: sendto(\"hi\", 127.0.0.1:\(port)) -> 2 bytes",
                "client: recvfrom(1024) -> \"fake\" (4 bytes) from 127.0.0.1:\(strangerPort): not the server's address, taken as the reply all the same",
            ])
        #expect(end.status == 0)
    }

    @Test("--retries 0 sends each line once; --retries 100, the largest, sends it 101 times")
    func retriesRange() throws {
        let port = try UDPSocket(host: "127.0.0.1", port: 0).localAddress().port
        for (retries, tries) in [(0, "1 try"), (100, "101 tries")] {
            let client = try LessonProcess(
                "lesson06-client",
                arguments: ["--port", "\(port)", "--timeout", "0.001", "--retries", "\(retries)"])
            client.send("hi\n")
            let end = try client.finish(before: .now + runDeadline)
            #expect(end.lines.filter { $0.hasPrefix("client: sendto(") }.count == retries + 1)
            #expect(
                end.errorLines == [
                    "client: no answer from 127.0.0.1:\(port) after \(tries); is the server running?"
                ])
            #expect(end.status == 1)
        }
        let huge = try runAlone("lesson06-client", ["--retries", "9223372036854775807"])
        #expect(
            huge.errorLines == [
                "client: --retries: \"9223372036854775807\" is not a whole number from 0 to 100"
            ])
        #expect(huge.status == 2)
    }
}
