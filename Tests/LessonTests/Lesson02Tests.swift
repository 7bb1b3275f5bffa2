import Foundation
import LessonProcess
import TestThreads
import Testing

@Suite("Lesson 02 · recv blocks while the buffer is empty and the peer is open", .mayBlock)
struct Lesson02Tests {
    @Test(
        "the second recv blocks for as long as the client holds the connection open, then returns \"\""
    )
    func blocksUntilClose() throws {
        let run = try runLesson("02", client: ["--hold", "0.5"])
        #expect(run.server.count == 4)
        #expect(run.server[2] == "server: recv(1024) -> \"hello\" (5 bytes), 0 still queued")
        let blocked = try #require(
            secondsBetween(
                "server: recv(1024) -> \"\" (0 bytes: peer closed) after blocking ", " s",
                in: run.server[3]),
            "unexpected line: \(run.server[3])")
        // The client sleeps 0.5 s after its send and then closes; the server
        // wakes as the FIN arrives. Notes.md: "within a few hundredths of a second".
        #expect(abs(blocked - 0.5) <= 0.05, "blocked \(blocked) s for a 0.5 s hold")
        #expect(
            run.client == [
                "client: connected to 127.0.0.1:\(run.port)",
                "client: send(\"hello\") -> 5 bytes",
                "client: holding the connection open for 0.50 s",
                "client: close()",
            ])
    }

    @Test("with --timeout, the blocked recv gives up after that long with EAGAIN")
    func timeout() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try LessonProcess(
            "lesson02-server", arguments: ["--port", "0", "--timeout", "0.2"])
        let port = try #require(
            listeningPort(try server.waitForLine(containing: "listening on", before: deadline)))
        // The client would hold for a minute; it is killed when the test ends.
        let client = try LessonProcess(
            "lesson02-client", arguments: ["--port", "\(port)", "--hold", "60"])
        let end = try server.finish(before: deadline)
        #expect(end.lines.count == 3)
        #expect(end.lines[1] == "server: recv(1024) -> \"hello\" (5 bytes), 0 still queued")
        let waited = try #require(
            secondsBetween("server: recv(1024) timed out after ", " s (EAGAIN)", in: end.lines[2]),
            "unexpected line: \(end.lines[2])")
        #expect(waited >= 0.19 && waited < 3)
        #expect(end.status == 0)
        _ = client
    }
}

@Suite("Lesson 02 · a process that dies closes its sockets", .mayBlock)
struct Lesson02KillTests {
    @Test("a client killed while the server blocks makes recv return \"\" at once")
    func killedClient() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try LessonProcess("lesson02-server", arguments: ["--port", "0"])
        let listening = try server.waitForLine(containing: "listening on", before: deadline)
        let port = try #require(listeningPort(listening))
        let client = try LessonProcess(
            "lesson02-client", arguments: ["--port", "\(port)", "--hold", "60"])
        _ = try server.waitForLine(containing: "recv(1024) -> \"hello\"", before: deadline)
        let killed = ContinuousClock.now
        kill(client.pid, SIGINT)
        let line = try server.waitForLine(containing: "peer closed", before: deadline)
        // The client would hold for 60 s; its death, not the hold, ends the wait.
        #expect(ContinuousClock.now - killed < .milliseconds(500))
        let blocked = try #require(
            secondsBetween(
                "server: recv(1024) -> \"\" (0 bytes: peer closed) after blocking ", " s", in: line),
            "unexpected line: \(line)")
        #expect(blocked < 0.5)
        _ = try server.finish(before: deadline)
        _ = try client.finish(before: deadline)
    }
}
