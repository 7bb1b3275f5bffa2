import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Lesson 04 · TCP keeps no message boundaries", .mayBlock)
struct Lesson04Tests {
    @Test("two sends, \"hello\" and \"world\", come out of one recv(1024) as \"helloworld\"")
    func merge() throws {
        let run = try runLesson("04", server: ["--demo", "merge"], client: ["--demo", "merge"])
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: 10 bytes queued; nothing in them marks where a send ended",
                "server: recv(1024) -> \"helloworld\" (10 bytes), 0 still queued",
                "server: close()",
            ])
        #expect(
            run.client == [
                "client: connected to 127.0.0.1:\(run.port)",
                "client: send(\"hello\") -> 5 bytes",
                "client: send(\"world\") -> 5 bytes",
                "client: close()",
            ])
        #expect(run.serverStatus == 0 && run.clientStatus == 0)
    }

    @Test(
        "seq 1 500 (1892 bytes) spills: recv(1024) shows 1 to 283, and 284 to 500 come out as the answer to echo hi"
    )
    func spill() throws {
        let run = try runLesson(
            "04", server: ["--demo", "spill"], client: ["--demo", "spill"],
            input: "seq 1 500\necho hi\nq\n")
        let (clientEnd, port) = (run.client, run.port)
        let output = Array((1...500).map { "\($0)\n" }.joined().utf8)
        #expect(output.count == 1892)
        let first = Array(output.prefix(1024))
        let rest = Array(output.dropFirst(1024))
        #expect(
            clientEnd
                == [
                    "client: connected to 127.0.0.1:\(port)",
                    "client: send(\"seq 1 500\") -> 9 bytes",
                    "client: " + describeReceive(size: 1024, bytes: first, queued: 868),
                ] + (1...283).map { "\($0)" }
                + [
                    "client: 868 bytes of an earlier answer still queued",
                    "client: send(\"echo hi\") -> 7 bytes",
                    "client: "
                        + describeReceive(size: 1024, bytes: rest + bytes("hi\n"), queued: 0),
                ] + (284...500).map { "\($0)" }
                + [
                    "hi",
                    "client: send(\"q\") -> 1 byte",
                    "client: close()",
                ])
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: recv(1024) -> \"seq 1 500\" (9 bytes), 0 still queued",
                "server: exit status 0, 1892 bytes of output",
                "server: send(output) -> 1892 bytes",
                "server: recv(1024) -> \"echo hi\" (7 bytes), 0 still queued",
                "server: exit status 0, 3 bytes of output",
                "server: send(output) -> 3 bytes",
                "server: recv(1024) -> \"q\" (1 byte), 0 still queued",
                "server: close()",
            ])
        #expect(run.clientStatus == 0 && run.serverStatus == 0)
    }

    @Test(
        "the naive server runs no shell: \"ls; rm -rf\" is refused with 127 and $(id) stays literal"
    )
    func noShell() throws {
        let run = try runLesson(
            "04", server: ["--demo", "spill"], client: ["--demo", "spill"],
            input: "ls; rm -rf /tmp/x\necho $(id)\nq\n")
        #expect(
            run.client.filter { !$0.hasPrefix("client: ") } == [
                "\"ls;\" is not a command here; the commands are: echo, help, repeat, seq, time, upper",
                "$(id)",
            ])
        #expect(run.server.contains("server: exit status 127, 84 bytes of output"))
    }

    @Test(
        "an empty answer sends no bytes at all: the spill client waits --wait and says nothing came"
    )
    func emptyAnswer() throws {
        let run = try runLesson(
            "04", server: ["--demo", "spill"], client: ["--demo", "spill", "--wait", "0.2"],
            input: "seq 2 1\nq\n")
        #expect(
            run.client.dropFirst(2).first
                == "client: nothing arrived within 0.20 s: an empty answer sends no bytes")
        #expect(run.server.contains("server: no output, so no send: nothing goes on the wire"))

        // On the wire: a peer of our own asks for the empty answer, then for
        // "hi". Anything sent for the first would arrive before "hi\n".
        let deadline = ContinuousClock.now + runDeadline
        let server = try LessonProcess(
            "lesson04-server", arguments: ["--demo", "spill", "--port", "0"])
        let port = try #require(
            listeningPort(try server.waitForLine(containing: "listening on", before: deadline)))
        let (connection, _) = try connectTCP(host: "127.0.0.1", port: port)
        try connection.setReceiveTimeout(seconds: 10)
        try connection.sendAll("seq 2 1")
        _ = try server.waitForLine(containing: "0 bytes of output", before: deadline)
        try connection.sendAll("echo hi")
        _ = try server.waitForLine(containing: "3 bytes of output", before: deadline)
        try connection.sendAll("q")
        var received: [UInt8] = []
        while case let bytes = try connection.receive(upTo: 1024), !bytes.isEmpty {
            received += bytes
        }
        #expect(received == Array("hi\n".utf8))
        #expect(try server.finish(before: deadline).status == 0)
    }

    @Test(
        "the merge server counts the bytes it saw: one 9-byte send from a spill client is 9 bytes, not two send calls"
    )
    func mergeCountsWhatItSaw() throws {
        let run = try runLesson(
            "04", server: ["--demo", "merge", "--wait", "0.3"],
            client: ["--demo", "spill", "--wait", "0.3"], input: "seq 1 500\n")
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: only 9 bytes queued after 0.30 s, not 10",
                "server: recv(1024) -> \"seq 1 500\" (9 bytes), 0 still queued",
                "server: close()",
            ])
    }

    @Test(
        "with --client-timeout 0.3, the spill server ends with one line on a client that sends nothing, and on one that reads nothing"
    )
    func clientTimeout() throws {
        let endings = [
            "server: recv(1024): timed out (EAGAIN): no data arrived within the receive timeout",
            "server: send: Resource temporarily unavailable (EAGAIN) - the peer took nothing "
                + "for as long as the send timeout allows",
        ]
        for (command, ending) in zip([nil, "repeat 900000 abcdefg"], endings) {
            let deadline = ContinuousClock.now + runDeadline
            let server = try LessonProcess(
                "lesson04-server",
                arguments: ["--demo", "spill", "--port", "0", "--client-timeout", "0.3"])
            let port = try #require(
                listeningPort(try server.waitForLine(containing: "listening on", before: deadline)))
            // 7.2 MB of answer, more than the kernel buffers, for a client that reads nothing.
            let client = try connectWithSmallReceiveBuffer(port: port)
            if let command { try client.sendAll(command) }
            let started = ContinuousClock.now
            let end = try server.finish(before: deadline)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
            #expect(end.errorLines == [ending])
            #expect(end.status == 1)
        }
    }

    @Test("--demo takes only merge or spill, and anything else exits 2 naming both")
    func badDemo() throws {
        let end = try runAlone("lesson04-client", ["--demo", "both"])
        #expect(end.errorLines == ["client: --demo: \"both\" is not one of merge, spill"])
        #expect(end.status == 2)
    }
}

/// Bytes of a string, for short assertions.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
