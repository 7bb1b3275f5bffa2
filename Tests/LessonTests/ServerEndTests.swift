import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Every server ends the same way, and says when the network can reach it", .mayBlock)
struct ServerEndTests {
    @Test(
        "SIGINT and SIGTERM end every server with one line, server: stopping (SIGNAL), and exit status 0",
        arguments: ["01", "02", "03", "04", "05", "06", "07", "08", "09"])
    func stopSignals(lesson: String) throws {
        for (signal, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            let deadline = ContinuousClock.now + runDeadline
            let server = try LessonProcess("lesson\(lesson)-server", arguments: ["--port", "0"])
            _ = try server.waitForLine(containing: "listening on", before: deadline)
            kill(server.pid, signal)
            let end = try server.finish(before: deadline)
            #expect(end.lines == ["server: stopping (\(name))"], "lesson \(lesson)")
            #expect(end.errorLines == [], "lesson \(lesson)")
            #expect(end.status == 0, "lesson \(lesson)")
        }
    }

    @Test("a server asked to bind an address other than loopback says the network can reach it")
    func nonLoopbackWarning() throws {
        // 192.0.2.1 is reserved for documentation (RFC 5737) and belongs to no
        // machine here: bind fails, so nothing is ever opened to the network.
        let end = try runAlone("lesson01-server", ["--host", "192.0.2.1", "--port", "0"])
        #expect(
            end.lines == [
                "server: --host 192.0.2.1 is not loopback: other machines on the network can reach this server"
            ])
        #expect(
            end.errorLines == [
                "server: bind(192.0.2.1:0): Cannot assign requested address (EADDRNOTAVAIL)"
            ])
        #expect(end.status == 1)
    }
}
