import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

/// The "Try this" experiments in Notes.md whose outcome a program can check,
/// run against the real lesson executables.
@Suite("Try this: the notes' experiments", .mayBlock)
struct TryThisTests {
    @Test(
        "\"hi\" to lesson 01's server: recv(2) takes both bytes, then recv(2) and recv(1) return \"\""
    )
    func lesson01OnHi() throws {
        let server = try LessonProcess("lesson01-server", arguments: ["--port", "0"])
        let deadline = ContinuousClock.now + runDeadline
        let port = try #require(
            listeningPort(try server.waitForLine(containing: "listening on", before: deadline)))
        let (connection, _) = try connectTCP(host: "127.0.0.1", port: port)
        try connection.sendAll("hi")
        connection.close()
        let end = try server.finish(before: deadline)
        #expect(
            Array(end.lines.dropFirst()) == [
                "server: recv(2) -> \"hi\" (2 bytes), 0 still queued",
                "server: recv(2) -> \"\" (0 bytes: peer closed)",
                "server: recv(1) -> \"\" (0 bytes: peer closed)",
            ])
        #expect(end.status == 0)
    }

    @Test(
        "a receive timeout longer than the hold never fires: recv returns \"\" when the client closes"
    )
    func timeoutLongerThanHold() throws {
        let run = try runLesson("02", server: ["--timeout", "3"], client: ["--hold", "0.3"])
        #expect(run.server.count == 4)
        let blocked = try #require(
            secondsBetween(
                "server: recv(1024) -> \"\" (0 bytes: peer closed) after blocking ", " s",
                in: run.server[3]),
            "unexpected line: \(run.server[3])")
        // The hold is 0.3 s; a wait anywhere near the 3 s timeout means it was not the close
        // that ended it.
        #expect(blocked >= 0.1 && blocked < 2)
        #expect(run.serverStatus == 0)
    }

    @Test("seq 1 200 (692 bytes) fits in one recv(1024): nothing spills, so the bug stays hidden")
    func smallAnswerHidesSpill() throws {
        let run = try runLesson(
            "04", server: ["--demo", "spill"], client: ["--demo", "spill"],
            input: "seq 1 200\nq\n")
        let output = Array((1...200).map { "\($0)\n" }.joined().utf8)
        #expect(output.count == 692)
        #expect(
            run.client
                == [
                    "client: connected to 127.0.0.1:\(run.port)",
                    "client: send(\"seq 1 200\") -> 9 bytes",
                    "client: " + describeReceive(size: 1024, bytes: output, queued: 0),
                ] + (1...200).map { "\($0)" }
                + ["client: send(\"q\") -> 1 byte", "client: close()"])
    }

    @Test(
        "seq 1 1000 (3893 bytes) leaves 2869, 1848, 827, then 0 bytes behind; the 4th echo hi gets its own hi"
    )
    func backlogShrinks() throws {
        let run = try runLesson(
            "04", server: ["--demo", "spill"], client: ["--demo", "spill"],
            input: "seq 1 1000\n" + String(repeating: "echo hi\n", count: 4) + "q\n")
        #expect(Array((1...1000).map { "\($0)\n" }.joined().utf8).count == 3893)
        let leftovers = run.client.filter {
            $0.hasSuffix("bytes of an earlier answer still queued")
        }
        #expect(
            leftovers
                == [2869, 1848, 827].map {
                    "client: \($0) bytes of an earlier answer still queued"
                })
        let receives = run.client.filter { $0.hasPrefix("client: recv(1024) -> ") }
        #expect(receives.count == 5)
        #expect(receives.map { $0.hasSuffix("still queued") } == Array(repeating: true, count: 5))
        #expect(receives.dropLast().map(queuedCount) == [2869, 1848, 827, 0])
        // The third echo hi takes the last 827 bytes of seq's answer and all three "hi\n".
        #expect(receives[3].contains("(830 bytes), 0 still queued"))
        #expect(
            receives[4] == "client: " + describeReceive(size: 1024, bytes: bytes("hi\n"), queued: 0)
        )
        #expect(run.clientStatus == 0)
    }
}

/// `2869` from `client: recv(1024) -> "..."... (1024 bytes), 2869 still queued`.
private func queuedCount(_ line: String) -> Int? {
    guard let comma = line.range(of: "), ", options: .backwards) else { return nil }
    return Int(line[comma.upperBound...].prefix { $0.isNumber })
}
