import Foundation
import LessonProcess
import NetUtil
import Testing

@Suite("Lesson 05 · header framing, done right")
struct Lesson05Tests {
    /// What lesson05-client prints for one answer: the three trace lines, then the output.
    func answerLines(_ output: String, status: Int = 0) -> [String] {
        let body = Array(output.utf8)
        let header =
            #"{"crc32":"\#(crc32Text(body))","exit_status":\#(status),"total_size":\#(body.count)}"#
        return [
            "client: header length \(header.utf8.count)",
            "client: header \(header)",
            "client: body \(byteCount(body.count)), crc32 ok",
        ]
            + output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
                String.init)
    }

    @Test(
        "seq 1 500 comes back whole, crc32 ok, identically through recv(1), recv(7), recv(1024) and recv(65536)"
    )
    func recvSizes() throws {
        let server = try FramingServer()
        let output = (1...500).map { "\($0)\n" }.joined()
        for size in [1, 7, 1024, 65536] {
            let end = try server.client("seq 1 500\n\nq\n", ["--recv-size", "\(size)"])
            #expect(
                end.lines
                    == [
                        "client: connected to 127.0.0.1:\(server.port)",
                        #"client: sendmsg(length + header {"total_size":9} + body) -> 29 bytes"#,
                    ] + answerLines(output) + ["client: close()"], "--recv-size \(size)")
            #expect(end.status == 0)
        }
        #expect(crc32Text(Array(output.utf8)) == "e9aabf73")
    }

    @Test(
        "seq 1 1000000 (6888896 bytes) arrives complete, crc32 37b08252 verified, through recv(1024) and recv(65536)",
        arguments: [1024, 65536])
    func bigOutput(size: Int) throws {
        let server = try FramingServer()
        // Reading a million lines from a pipe is the slow part of this test,
        // so the body's lines are compared once; the crc covers every run.
        let show = size == 65536
        let end = try server.client(
            "seq 1 1000000\n", ["--recv-size", "\(size)", "--output", show ? "show" : "hide"])
        #expect(
            Array(end.lines[2...4]) == [
                "client: header length 57",
                #"client: header {"crc32":"37b08252","exit_status":0,"total_size":6888896}"#,
                "client: body 6888896 bytes, crc32 ok",
            ])
        let numbers = end.lines.dropFirst(5).dropLast()
        #expect(numbers.count == (show ? 1_000_000 : 0))
        #expect(zip(numbers, 1...).allSatisfy { $0 == "\($1)" })
        #expect(end.lines.last == "client: close()")
    }

    @Test(
        "a command the server does not have, and shell syntax, get exit status 127 or stay literal, and nothing else runs"
    )
    func noShell() throws {
        let server = try FramingServer()
        let victim = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lesson05-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        _ = FileManager.default.createFile(atPath: victim.path, contents: Data("keep".utf8))
        defer { try? FileManager.default.removeItem(at: victim) }
        let end = try server.client(
            "rm -rf \(victim.path)\nls; rm -rf \(victim.path)\necho $(id)\ndate -f \(victim.path)\n"
        )
        let list = "is not a command here; the commands are: echo, help, repeat, seq, time, upper"
        #expect(
            end.lines.filter { !$0.hasPrefix("client: ") } == [
                "\"rm\" \(list)", "\"ls;\" \(list)", "$(id)", "\"date\" \(list)",
            ])
        #expect(end.lines.filter { $0.contains(#""exit_status":127"#) }.count == 3)
        #expect(FileManager.default.fileExists(atPath: victim.path))
    }

    @Test("two clients are served at once: a silent client half-way through a frame blocks nobody")
    func twoClients() throws {
        let server = try FramingServer()
        let silent = try server.connect()
        let request = Frame(body: bytes("echo slow"))
        try silent.sendAll(Array(request.prefix.prefix(6)))  // part of a header, then silence
        let end = try server.client("echo fast\n")
        #expect(end.lines.contains("fast"))
        // The silent one finishes its frame later and is answered all the same.
        try silent.sendAll(Array(request.prefix.dropFirst(6)) + request.body)
        var decoder = FrameDecoder(maximumBodySize: 1000)
        #expect(try silent.receiveFrame(&decoder, recvSize: 1024)?.body == bytes("slow\n"))
    }

    @Test(
        "a client sending garbage or hanging up part-way loses only its own connection, with one log line"
    )
    func badClients() throws {
        let server = try FramingServer()
        let session = try server.connect()
        #expect(try exchange(session, "echo one") == bytes("one\n"))

        let garbage = try server.connect()
        let garbagePort = try garbage.localAddress().port
        try garbage.sendAll("hello world\n")
        #expect(
            try server.process.waitForLine(containing: ":\(garbagePort): ", before: server.deadline)
                == "server: 127.0.0.1:\(garbagePort): connected")
        #expect(
            try server.process.waitForLine(containing: ":\(garbagePort): ", before: server.deadline)
                == #"server: 127.0.0.1:\#(garbagePort): bad frame: header length 1751477356 exceeds 65536 (its 4 bytes are the text "hell": was the length left out?); closing this connection"#
        )
        // The server's one recv took all 12 bytes, so it closed with nothing
        // unread: a plain FIN, which the client reads as the end.
        try garbage.setReceiveTimeout(seconds: 10)
        #expect(try garbage.receive(upTo: 16) == [])

        let quitter = try server.connect()
        let quitterPort = try quitter.localAddress().port
        try quitter.sendAll(Array(Frame(body: bytes("echo never")).prefix.prefix(9)))
        quitter.close()
        _ = try server.process.waitForLine(containing: ":\(quitterPort): ", before: server.deadline)
        #expect(
            try server.process.waitForLine(containing: ":\(quitterPort): ", before: server.deadline)
                == "server: 127.0.0.1:\(quitterPort): bad frame: the connection ended part-way through the header: 5 of 17 bytes; closing this connection"
        )

        #expect(try exchange(session, "echo two") == bytes("two\n"))
        #expect(try server.client("echo three\n").lines.contains("three"))
    }

    @Test(
        "the unframed lesson 04 client is logged as text with no length prefix, and only it is dropped"
    )
    func unframedClient() throws {
        let server = try FramingServer()
        let old = try LessonProcess(
            "lesson04-client", arguments: ["--port", "\(server.port)", "--demo", "merge"])
        _ = try old.finish(before: server.deadline)
        let line = try server.process.waitForLine(containing: "bad frame", before: server.deadline)
        #expect(
            line.hasSuffix(
                #": bad frame: header length 1751477356 exceeds 65536 (its 4 bytes are the text "hell": was the length left out?); closing this connection"#
            ))
        #expect(try server.client("echo fine\n").lines.contains("fine"))
    }

    @Test("a little-endian header length is logged as a byte-order mistake")
    func littleEndianClient() throws {
        let server = try FramingServer()
        let client = try server.connect()
        let port = try client.localAddress().port
        let header = #"{"total_size": 7}"#
        try client.sendAll([UInt8(header.utf8.count), 0, 0, 0] + bytes(header + "echo hi"))
        _ = try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
        #expect(
            try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
                == "server: 127.0.0.1:\(port): bad frame: header length 285212672 exceeds 65536 (is the sender little-endian?); closing this connection"
        )
    }

    @Test("the server survives a client that vanishes in the middle of a 6.9 MB answer")
    func vanishingClient() throws {
        let server = try FramingServer()
        let client = try server.connect()
        let port = try client.localAddress().port
        try client.sendFrame(Frame(body: bytes("seq 1 1000000")))
        client.close()
        _ = try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
        let line = try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
        #expect(line.hasPrefix("server: 127.0.0.1:\(port): sendmsg: "))
        #expect(line.hasSuffix("; closing this connection"))
        #expect(try server.client("echo still here\n").lines.contains("still here"))
    }

    @Test("the client refuses an answer whose total_size exceeds its --max-body, before reading it")
    func clientLimit() throws {
        let server = try FramingServer()
        let end = try server.client("seq 1 500\n", ["--max-body", "1000"])
        #expect(end.errorLines == ["client: total_size 1892 exceeds the limit of 1000 bytes"])
        #expect(end.status == 1)
    }

    @Test("both ends' --help name the tutorial's port 8897 as the default")
    func defaults() throws {
        let server = try runAlone("lesson05-server", ["--help"]).lines
        #expect(server.contains { $0.hasPrefix("  --port PORT") && $0.hasSuffix("(default 8897)") })
        let client = try runAlone("lesson05-client", ["--help"]).lines
        #expect(client.contains { $0.hasPrefix("  --port PORT") && $0.hasSuffix("(default 8897)") })
        #expect(
            client.contains { $0.hasPrefix("  --max-body") && $0.hasSuffix("(default 67108864)") })
    }

    @Test("Ctrl-C (SIGINT) stops the server cleanly with exit status 0")
    func stopSignal() throws {
        let server = try FramingServer()
        let idle = try server.connect()
        _ = try server.process.waitForLine(containing: "connected", before: server.deadline)
        kill(server.process.pid, SIGINT)
        let end = try server.process.finish(before: server.deadline)
        #expect(end.lines == ["server: stopping (SIGINT)"])
        #expect(end.status == 0)
        #expect(try idle.receive(upTo: 16) == [])  // its connection ended with the server
    }
}

/// A lesson05-server on a free port, killed when the test ends.
struct FramingServer {
    let process: LessonProcess
    let port: UInt16
    let deadline = ContinuousClock.now + runDeadline

    init() throws {
        process = try LessonProcess("lesson05-server", arguments: ["--port", "0"])
        let line = try process.waitForLine(containing: "listening on", before: deadline)
        port = try #require(listeningPort(line))
    }

    /// Runs lesson05-client with `input` on its standard input, to its end.
    func client(_ input: String, _ arguments: [String] = []) throws -> LessonProcess.Finished {
        let client = try LessonProcess(
            "lesson05-client", arguments: ["--port", "\(port)"] + arguments)
        client.send(input)
        return try client.finish(before: deadline)
    }

    /// A plain connection for playing a client by hand; no recv waits for ever.
    func connect() throws -> Socket {
        let (connection, _) = try connectTCP(host: "127.0.0.1", port: port)
        try connection.setReceiveTimeout(seconds: 10)
        return connection
    }
}

/// Sends `command` in a frame and returns the answer's body.
func exchange(_ connection: Socket, _ command: String) throws -> [UInt8]? {
    try connection.sendFrame(Frame(body: bytes(command)))
    var decoder = FrameDecoder(maximumBodySize: 1000)
    return try connection.receiveFrame(&decoder, recvSize: 1024)?.body
}
