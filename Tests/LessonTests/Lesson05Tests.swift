import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Lesson 05 · header framing, done right", .mayBlock)
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
                        #"client: sendmsg(length + header {"total_size":9} + body "seq 1 500") -> 29 bytes"#,
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
                == #"server: 127.0.0.1:\#(garbagePort): bad frame: header length 1751477356 exceeds 65536: its 4 bytes are the text "hell"; this looks like text, not a frame (does the sender frame its messages?); closing this connection"#
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
                #": bad frame: header length 1751477356 exceeds 65536: its 4 bytes are the text "hell"; this looks like text, not a frame (does the sender frame its messages?); closing this connection"#
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

    @Test(
        "a client that vanishes while its 6.9 MB answer is being sent costs one ECONNRESET line, and the others are still answered"
    )
    func vanishingClient() throws {
        let server = try FramingServer()
        let other = try server.connect()
        #expect(try exchange(other, "echo before") == bytes("before\n"))
        let client = try connectWithSmallReceiveBuffer(port: server.port)
        let port = try client.localAddress().port
        try client.sendFrame(Frame(body: bytes("seq 1 1000000")))
        // The answer's first bytes are here, so sendmsg has started; with 4 KiB
        // of receive buffer, 6.9 MB cannot all fit in the kernel's buffers, so
        // it has not finished. Closing with bytes unread sends RST.
        #expect(try client.receive(upTo: 4) == [0, 0, 0, 57])
        client.close()
        _ = try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
        #expect(
            try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
                == "server: 127.0.0.1:\(port): sendmsg: Connection reset by peer (ECONNRESET) - the peer reset the connection (it closed with bytes unread, or aborted); closing this connection"
        )
        #expect(try exchange(other, "echo after") == bytes("after\n"))
        #expect(try server.client("echo still here\n").lines.contains("still here"))
    }

    @Test(
        "with --idle 0.2, a client that sends nothing and one that reads nothing are each let go with one line"
    )
    func idleClients() throws {
        let server = try FramingServer(["--idle", "0.2"])
        let silent = try server.connect()
        let silentPort = try silent.localAddress().port
        _ = try server.process.waitForLine(containing: ":\(silentPort): ", before: server.deadline)
        #expect(
            try server.process.waitForLine(containing: ":\(silentPort): ", before: server.deadline)
                == "server: 127.0.0.1:\(silentPort): recv(65536): timed out (EAGAIN): no data arrived within the receive timeout; closing this connection"
        )
        #expect(try silent.receive(upTo: 16) == [])

        let reader = try connectWithSmallReceiveBuffer(port: server.port)
        let readerPort = try reader.localAddress().port
        try reader.sendFrame(Frame(body: bytes("seq 1 1000000")))
        _ = try server.process.waitForLine(containing: ":\(readerPort): ", before: server.deadline)
        #expect(
            try server.process.waitForLine(containing: ":\(readerPort): ", before: server.deadline)
                == "server: 127.0.0.1:\(readerPort): sendmsg: Resource temporarily unavailable (EAGAIN) - the peer took nothing for as long as the send timeout allows; closing this connection"
        )
        #expect(try server.client("echo next\n").lines.contains("next"))
    }

    @Test(
        "a client over --max-clients gets one busy frame with exit status 75 and the end, and the others are still served"
    )
    func overTheCap() throws {
        let server = try FramingServer(["--max-clients", "2"])
        let first = try server.connect()
        let second = try server.connect()
        for _ in 0..<2 {
            _ = try server.process.waitForLine(containing: ": connected", before: server.deadline)
        }
        let third = try server.connect()
        let port = try third.localAddress().port
        var decoder = FrameDecoder(maximumBodySize: 1000)
        let busy = try #require(try third.receiveFrame(&decoder, recvSize: 1024))
        #expect(busy.header.fields["exit_status"] == .integer(75))
        #expect(
            busy.body == bytes("busy: already serving 2, the most at once; try later\n"))
        #expect(try third.receive(upTo: 16) == [])
        #expect(
            try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
                == "server: 127.0.0.1:\(port): turned away, 2 clients already (--max-clients)")
        #expect(try exchange(first, "echo one") == bytes("one\n"))
        #expect(try exchange(second, "echo two") == bytes("two\n"))
        // A place comes free when a client leaves.
        first.close()
        _ = try server.process.waitForLine(
            containing: "closed the connection", before: server.deadline)
        #expect(try exchange(try server.connect(), "echo four") == bytes("four\n"))
    }

    #if os(Linux)
        @Test(
            "out of descriptors, accept says so in one line, retries at a falling rate, and serves again once clients leave"
        )
        func descriptorShortage() throws {
            // 0, 1, 2, the listener, and room for about 8 connections; the rest wait in the backlog.
            let server = try FramingServer(["--max-clients", "100"], openFileLimit: 12)
            var clients = try (0..<16).map { _ in try server.connect() }
            #expect(
                try server.process.waitForLine(containing: "accept(", before: server.deadline)
                    == "server: accept(127.0.0.1:\(server.port)): Too many open files (EMFILE) - this process has as many descriptors open as its limit (ulimit -n) allows; trying again, less and less often, until it works"
            )
            // Half a second into the shortage, a spinning accept loop would have
            // used most of that time on the CPU.
            let before = try cpuSeconds(of: server.process.pid)
            sleep(seconds: 0.5)
            #expect(try cpuSeconds(of: server.process.pid) - before < 0.1)
            clients.removeAll()
            #expect(try exchange(try server.connect(), "echo back") == bytes("back\n"))
            server.process.stop()
            let end = try server.process.finish(before: server.deadline)
            // One line per shortage, not per try: a loop that logged every try
            // would have logged five more in that half second alone. While the
            // backlog drains, a fresh shortage may start and get its own line.
            #expect(end.lines.filter { $0.contains("accept(") }.count <= 2)
            #expect(end.lines.last == "server: stopping (SIGTERM)")
        }
    #endif

    @Test("the client refuses an answer whose total_size exceeds its --max-body, before reading it")
    func clientLimit() throws {
        let server = try FramingServer()
        let end = try server.client("seq 1 500\n", ["--max-body", "1000"])
        #expect(end.errorLines == ["client: total_size 1892 exceeds the limit of 1000 bytes"])
        #expect(end.status == 1)
    }

    @Test("a client turned away over --max-clients says the server is busy, in one line, exit 1")
    func clientTurnedAway() throws {
        let server = try FramingServer(["--max-clients", "1"])
        let first = try server.connect()
        #expect(try exchange(first, "echo one") == bytes("one\n"))
        let client = try LessonProcess("lesson05-client", arguments: ["--port", "\(server.port)"])
        // The server sends its busy frame before it logs the line, so once the
        // line is there the frame waits in the client's receive buffer.
        _ = try server.process.waitForLine(containing: "turned away", before: server.deadline)
        client.send("echo two\nq\n")
        let end = try client.finish(before: server.deadline)
        #expect(
            end.errorLines == [
                "client: the server turned this connection away (exit status 75): "
                    + "\"busy: already serving 1, the most at once; try later\\n\""
            ])
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

    init(_ arguments: [String] = [], openFileLimit: Int? = nil) throws {
        process = try LessonProcess(
            "lesson05-server", arguments: ["--port", "0"] + arguments, openFileLimit: openFileLimit)
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

/// A connection whose receive buffer is only 4 KiB (set before connecting, so
/// the window the server sees is small too): a big answer cannot fit in the
/// kernel's buffers, and the server's sendmsg is still running while it waits.
func connectWithSmallReceiveBuffer(port: UInt16) throws -> Socket {
    let socket = Socket(adopting: Glibc.socket(AF_INET, streamSocketType, 0))
    var size: Int32 = 4096
    setsockopt(socket.descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    try #require(status == 0)
    try socket.setReceiveTimeout(seconds: 10)
    return socket
}

/// The CPU time a process has used so far, user and system, from /proc/PID/stat.
func cpuSeconds(of pid: pid_t) throws -> Double {
    let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
    // Fields after the ")" that ends the command name; utime and stime are the 12th and 13th.
    let fields = stat.split(separator: ")").last!.split(separator: " ")
    let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
    return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

@Suite("Why lesson 05 allows no program", .mayBlock)
struct AllowlistTests {
    @Test(
        "GNU date -f FILE prints each line of FILE it cannot parse on standard error",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/date")))
    func dateReadsFiles() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lesson05-secret-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try Data("secret-token-123\nhunter2\n".utf8).write(to: secret)
        defer { try? FileManager.default.removeItem(at: secret) }
        let date = Process()
        date.executableURL = URL(fileURLWithPath: "/usr/bin/date")
        date.arguments = ["-f", secret.path]
        date.environment = ["LC_ALL": "C"]
        let errors = Pipe()
        date.standardError = errors
        date.standardOutput = FileHandle.nullDevice
        try date.run()
        let text = String(
            decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        date.waitUntilExit()
        // Not GNU date (BSD's has no -f FILE): nothing to show on this machine.
        guard text.contains("invalid date") else { return }
        #expect(text.contains("secret-token-123") && text.contains("hunter2"))
        #expect(date.terminationStatus == 1)
    }
}
