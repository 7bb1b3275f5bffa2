import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Lesson 07 · one thread, many clients", .mayBlock)
struct Lesson07Tests {
    @Test("lesson05-client works unchanged against the one-thread server, byte for byte")
    func lesson05Client() throws {
        let server = try PollServer()
        let output = (1...500).map { "\($0)\n" }.joined()
        let body = Array(output.utf8)
        let header =
            #"{"crc32":"\#(crc32Text(body))","exit_status":0,"total_size":\#(body.count)}"#
        for size in [1, 7, 65536] {
            let client = try LessonProcess(
                "lesson05-client",
                arguments: ["--port", "\(server.port)", "--recv-size", "\(size)"])
            client.send("seq 1 500\nq\n")
            let end = try client.finish(before: server.deadline)
            #expect(
                end.lines
                    == [
                        "client: connected to 127.0.0.1:\(server.port)",
                        #"client: sendmsg(length + header {"total_size":9} + body "seq 1 500") -> 29 bytes"#,
                        "client: header length \(header.utf8.count)",
                        "client: header \(header)",
                        "client: body 1892 bytes, crc32 ok",
                    ] + (1...500).map { "\($0)" } + ["client: close()"], "--recv-size \(size)")
            #expect(end.status == 0)
        }
    }

    @Test(
        "a frame sent one byte at a time, each byte in its own poll round, is answered whole while another client is served in between"
    )
    func dribbledFrame() throws {
        let server = try PollServer(["--trace-loop"])
        let slow = try server.connect()
        let slowName = try "127.0.0.1:\(slow.localAddress().port)"
        let request = Frame(body: bytes("echo dribble"))
        let wire = request.prefix + request.body
        for (index, byte) in wire.enumerated() {
            try slow.sendAll([byte])
            // The server took this one byte in a recv of its own before the next is sent.
            _ = try server.process.waitForLine(
                containing: "\(slowName): recv(16384) -> 1 byte", before: server.deadline)
            if index == 10 {
                let other = try server.connect()
                #expect(try exchange(other, "echo between") == bytes("between\n"))
            }
        }
        var decoder = FrameDecoder(maximumBodySize: 1000)
        #expect(try slow.receiveFrame(&decoder, recvSize: 1024)?.body == bytes("dribble\n"))
    }

    @Test(
        "a client that never reads its answers fills its bounded queue, is no longer read, and delays no other client"
    )
    func nonReadingClient() throws {
        let server = try PollServer(["--queue-limit", "65536"])
        let greedy = try server.connect()
        let greedyName = try "127.0.0.1:\(greedy.localAddress().port)"
        // 16 answers of 980,000 bytes: far more than the kernel's buffers hold.
        let command = "repeat 20000 " + String(repeating: "abcdefgh", count: 6)
        let request = Frame(body: bytes(command))
        try greedy.sendAll(
            Array(repeating: request.prefix + request.body, count: 16).flatMap { $0 })
        var served: [String] = []
        while !served.contains(where: { $0.contains("over --queue-limit") }) {
            served.append(try #require(try server.process.nextLine(before: server.deadline)))
        }
        let full = try #require(served.last)
        #expect(full.hasPrefix("server: \(greedyName): "))
        #expect(
            full.hasSuffix(" bytes queued, over --queue-limit: not reading it until they are sent"))

        // Another client is answered at once, while the greedy one still reads nothing.
        let started = ContinuousClock.now
        let other = try server.connect()
        #expect(try exchange(other, "echo fast") == bytes("fast\n"))
        #expect(ContinuousClock.now - started < .seconds(3))
        let answeredEarly = served.filter { $0.hasPrefix("server: \(greedyName): \"repeat") }
        #expect(answeredEarly.count >= 1 && answeredEarly.count < 16)

        // Once it reads, every answer arrives whole, in order.
        var decoder = FrameDecoder(maximumBodySize: 1 << 20)
        for _ in 1...16 {
            let answer = try #require(try greedy.receiveFrame(&decoder, recvSize: 65536))
            #expect(answer.body.count == 980_000)
            #expect(answer.header.string("crc32") == crc32Text(answer.body))
        }
        _ = try server.process.waitForLine(
            containing: "\(greedyName): queue drained: reading it again", before: server.deadline)
    }

    @Test("a client silent half-way through a frame costs one idle entry and blocks nobody")
    func halfFrame() throws {
        let server = try PollServer(["--trace-loop"])
        let silent = try server.connect()
        let request = Frame(body: bytes("echo late"))
        try silent.sendAll(Array(request.prefix.prefix(6)))
        let silentName = try "127.0.0.1:\(silent.localAddress().port)"
        _ = try server.process.waitForLine(
            containing: "\(silentName): recv(16384) -> 6 bytes", before: server.deadline)
        let other = try server.connect()
        let otherName = try "127.0.0.1:\(other.localAddress().port)"
        #expect(try exchange(other, "echo fast") == bytes("fast\n"))
        // The silent client is one more entry in each poll (4: the stop pipe,
        // the listener, both clients), and only the other one is ready.
        _ = try server.process.waitForLine(
            containing: "poll(4 descriptors) -> ready: \(otherName) in", before: server.deadline)
        try silent.sendAll(Array(request.prefix.dropFirst(6)) + request.body)
        var decoder = FrameDecoder(maximumBodySize: 1000)
        #expect(try silent.receiveFrame(&decoder, recvSize: 1024)?.body == bytes("late\n"))
    }

    #if os(Linux)
        @Test("one thread serves 200 connected clients, where lesson 05's server runs 202 threads")
        func oneThread() throws {
            // lesson05-server: its accept loop, its Ctrl-C thread, and one per client.
            for (product, threads) in [("lesson07-server", 1), ("lesson05-server", 202)] {
                let server = try PollServer(["--max-clients", "1000"], product: product)
                var clients: [Socket] = []
                // One at a time, each accepted before the next: lesson 05's backlog
                // of 16 would otherwise overflow, and the kernel drops the extra
                // handshakes for the client to retry a second later.
                for _ in 1...200 {
                    clients.append(try server.connect())
                    _ = try server.process.waitForLine(
                        containing: ": connected", before: server.deadline)
                }
                #expect(try exchange(clients[199], "echo still") == bytes("still\n"))
                let tasks = try FileManager.default.contentsOfDirectory(
                    atPath: "/proc/\(server.process.pid)/task")
                #expect(tasks.count == threads, "\(product)")
            }
        }
    #endif

    @Test(
        "a huge length prefix closes only that connection, with one trace line, and others are served"
    )
    func hugeLength() throws {
        let server = try PollServer()
        let session = try server.connect()
        #expect(try exchange(session, "echo one") == bytes("one\n"))
        let bad = try server.connect()
        let badName = try "127.0.0.1:\(bad.localAddress().port)"
        try bad.sendAll([0xFF, 0xFF, 0xFF, 0xFF])
        _ = try server.process.waitForLine(
            containing: "\(badName): connected", before: server.deadline)
        #expect(
            try server.process.waitForLine(containing: badName, before: server.deadline)
                == "server: \(badName): bad frame: header length 4294967295 exceeds 65536; closing this connection"
        )
        #expect(try bad.receive(upTo: 16) == [])
        #expect(try exchange(session, "echo two") == bytes("two\n"))
    }

    @Test("an unknown command gets exit status 127 and the list of commands, as from lesson 05")
    func unknownCommand() throws {
        let server = try PollServer()
        let client = try server.connect()
        try client.sendFrame(Frame(body: bytes("rm -rf /tmp/x")))
        var decoder = FrameDecoder(maximumBodySize: 1000)
        let answer = try #require(try client.receiveFrame(&decoder, recvSize: 1024))
        #expect(answer.header.integer("exit_status") == 127)
        #expect(
            answer.body
                == bytes(
                    "\"rm\" is not a command here; the commands are: echo, help, repeat, seq, time, upper\n"
                ))
    }

    @Test(
        "a client over --max-clients gets one busy frame with exit status 75 and the end, from one thread too"
    )
    func overTheCap() throws {
        let server = try PollServer(["--max-clients", "2"])
        let first = try server.connect()
        let second = try server.connect()
        for _ in 0..<2 {
            _ = try server.process.waitForLine(containing: ": connected", before: server.deadline)
        }
        let third = try server.connect()
        let thirdName = try "127.0.0.1:\(third.localAddress().port)"
        var decoder = FrameDecoder(maximumBodySize: 1000)
        let busy = try #require(try third.receiveFrame(&decoder, recvSize: 1024))
        #expect(busy.header.integer("exit_status") == 75)
        #expect(
            busy.body == bytes("busy: 2 clients connected, the most served at once; try later\n"))
        #expect(try third.receive(upTo: 16) == [])
        #expect(
            try server.process.waitForLine(containing: thirdName, before: server.deadline)
                == "server: \(thirdName): turned away, 2 clients already (--max-clients)")
        #expect(try exchange(first, "echo one") == bytes("one\n"))
        #expect(try exchange(second, "echo two") == bytes("two\n"))
        // A place comes free when a client leaves.
        first.close()
        _ = try server.process.waitForLine(
            containing: "closed the connection", before: server.deadline)
        #expect(try exchange(try server.connect(), "echo four") == bytes("four\n"))
    }

    @Test(
        "with --idle 0.2, a client that sends nothing and one that reads nothing are each let go with one line, by the poll loop's own clock"
    )
    func idleClients() throws {
        let server = try PollServer(["--idle", "0.2", "--queue-limit", "65536"])
        let silent = try server.connect()
        let silentName = try "127.0.0.1:\(silent.localAddress().port)"
        _ = try server.process.waitForLine(containing: silentName, before: server.deadline)
        #expect(
            try server.process.waitForLine(containing: silentName, before: server.deadline)
                == "server: \(silentName): sent nothing for 0.20 s (--idle); closing this connection"
        )
        #expect(try silent.receive(upTo: 16) == [])

        let greedy = try server.connect()
        let greedyName = try "127.0.0.1:\(greedy.localAddress().port)"
        let request = Frame(body: bytes("repeat 20000 " + String(repeating: "abcdefgh", count: 6)))
        try greedy.sendAll(
            Array(repeating: request.prefix + request.body, count: 16).flatMap { $0 })
        #expect(
            try server.process.waitForLine(
                containing: "over --queue-limit", before: server.deadline
            )
            .hasPrefix("server: \(greedyName): "))
        #expect(
            try server.process.waitForLine(containing: "--idle", before: server.deadline)
                == "server: \(greedyName): read nothing of its answers for 0.20 s (--idle); closing this connection"
        )
        #expect(try exchange(try server.connect(), "echo next") == bytes("next\n"))
    }

    @Test(
        "with --request-time 0.3, a client that sends a byte every 0.1 s, never idle for --idle 1, is let go with one line once its request has taken 0.3 s"
    )
    func slowRequest() throws {
        let server = try PollServer(["--idle", "1", "--request-time", "0.3"])
        let slow = try server.connect()
        let slowName = try "127.0.0.1:\(slow.localAddress().port)"
        // A header said to be 1000 bytes long, one byte at a time: never whole in this test.
        let wire: [UInt8] = [0, 0, 0x03, 0xE8] + Array(repeating: UInt8(ascii: " "), count: 60)
        let started = ContinuousClock.now
        var lines: [String] = []
        for byte in wire where !lines.contains(where: { $0.contains("closing") }) {
            _ = try? slow.sendAll([byte])  // fails once the server has closed
            // At most 0.1 s between bytes, and the server's lines read as they come.
            if let line = try? server.process.nextLine(before: .now + .milliseconds(100)) {
                lines.append(line)
            }
        }
        #expect(
            lines.last
                == "server: \(slowName): request not whole after 0.30 s (--request-time); closing this connection"
        )
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(try slow.receive(upTo: 16) == [])
        #expect(try exchange(try server.connect(), "echo next") == bytes("next\n"))
    }

    #if os(Linux)
        @Test(
            "with --answer-budget 16 MiB, 40 clients that never read their 8 MB answers cannot take the server past 96 MiB, and a reading client is answered once they go"
        )
        func answerBudget() throws {
            let server = try PollServer(["--answer-budget", "\(16 << 20)", "--trace-loop"])
            let request = Frame(body: bytes("repeat 1000000 abcdefg"))
            // The server is stopped while all 40 connect and send, so that one
            // poll finds them all ready at once.
            kill(server.process.pid, SIGSTOP)
            let greedy = try (1...40).map { _ in
                // A 4 KiB receive buffer: the kernel takes little of an answer off the server.
                let client = try connectWithSmallReceiveBuffer(port: server.port)
                try client.sendAll(
                    Array(repeating: request.prefix + request.body, count: 3).flatMap { $0 })
                return client
            }
            kill(server.process.pid, SIGCONT)
            _ = try server.process.waitForLine(
                containing: "over --answer-budget: reading no client until they are sent",
                before: server.deadline)
            // A new client wakes the next poll: the round that served the 40 is over.
            let reader = try server.connect()
            _ = try server.process.waitForLine(
                containing: "-> ready: listener in", before: server.deadline)
            for client in greedy { client.close() }
            #expect(try exchange(reader, "echo waited") == bytes("waited\n"))
            // The most memory the server ever held: its peak resident size.
            let status = try String(
                contentsOfFile: "/proc/\(server.process.pid)/status", encoding: .utf8)
            let peak = try #require(
                status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
                    .flatMap { Int($0.split(separator: " ")[1]) })
            #expect(peak * 1024 < 96 << 20, "VmHWM \(peak) kB")
        }
    #endif

    @Test("lesson07-client sends each command on every connection and gets each answer on its own")
    func severalConnections() throws {
        let server = try PollServer()
        let client = try LessonProcess(
            "lesson07-client", arguments: ["--port", "\(server.port)", "--connections", "3"])
        client.send("echo hello\nseq 1 3\n")
        let end = try client.finish(before: server.deadline)
        #expect(end.status == 0)
        #expect(end.lines.count == 12)
        for number in 1...3 {
            #expect(
                end.lines[number - 1].hasPrefix("client: #\(number): connected from 127.0.0.1:"))
        }
        let answers = { (body: String) in
            Set((1...3).map { "client: #\($0): exit status 0, 6 bytes, crc32 ok: \(body)" })
        }
        #expect(end.lines[3] == #"client: sent "echo hello" on all 3 connections"#)
        #expect(Set(end.lines[4...6]) == answers(#""hello\n""#))
        #expect(end.lines[7] == #"client: sent "seq 1 3" on all 3 connections"#)
        #expect(Set(end.lines[8...10]) == answers(#""1\n2\n3\n""#))
        #expect(end.lines[11] == "client: close() on all 3 connections")
    }

    @Test("Ctrl-C (SIGINT) stops the one-thread server with exit status 0")
    func stopSignal() throws {
        let server = try PollServer()
        let idle = try server.connect()
        _ = try server.process.waitForLine(containing: "connected", before: server.deadline)
        kill(server.process.pid, SIGINT)
        let end = try server.process.finish(before: server.deadline)
        #expect(end.lines == ["server: stopping (SIGINT)"])
        #expect(end.status == 0)
        #expect(try idle.receive(upTo: 16) == [])
    }
}

/// A lesson07-server (or another framing server) on a free port, killed when the test ends.
struct PollServer {
    let process: LessonProcess
    let port: UInt16
    let deadline = ContinuousClock.now + runDeadline

    init(_ arguments: [String] = [], product: String = "lesson07-server") throws {
        process = try LessonProcess(product, arguments: ["--port", "0"] + arguments)
        let line = try process.waitForLine(containing: "listening on", before: deadline)
        port = try #require(listeningPort(line))
    }

    /// A plain connection for playing a client by hand; no recv waits for ever.
    func connect() throws -> Socket {
        let (connection, _) = try connectTCP(host: "127.0.0.1", port: port)
        try connection.setReceiveTimeout(seconds: 10)
        return connection
    }
}
