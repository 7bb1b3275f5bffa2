import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Bad input: one clear line and a non-zero exit", .mayBlock)
struct BadInputTests {
    @Test(
        "a client started with no server prints one line naming the address and exits 1",
        arguments: ["lesson01-client", "lesson02-client", "lesson03-client"])
    func noServer(client: String) throws {
        // A port that was free a moment ago: listen on port 0, note it, close.
        let port = try TCPListener(host: "127.0.0.1", port: 0).address.port
        let end = try runAlone(client, ["--port", "\(port)"])
        #expect(end.lines == [])
        #expect(
            end.errorLines == [
                "client: connect(127.0.0.1:\(port)): Connection refused (ECONNREFUSED) - is the server running, on this host and port?"
            ])
        #expect(end.status == 1)
    }

    @Test("an unknown flag is named, with a pointer to --help, and exits 2")
    func unknownFlag() throws {
        let end = try runAlone("lesson01-server", ["--prot", "8080"])
        #expect(end.errorLines == ["server: unknown flag \"--prot\" (try --help)"])
        #expect(end.status == 2)
    }

    @Test("a port out of range is refused before any socket is made, and exits 2")
    func portOutOfRange() throws {
        let end = try runAlone("lesson01-client", ["--port", "70000"])
        #expect(end.errorLines == ["client: --port: \"70000\" is not a port number (0 to 65535)"])
        #expect(end.status == 2)
    }

    @Test("a malformed duration is refused: --hold needs seconds")
    func malformedSeconds() throws {
        let end = try runAlone("lesson02-client", ["--hold", "soon"])
        #expect(
            end.errorLines == [
                "client: --hold: \"soon\" is not a number of seconds from 0.001 to 86400, or 0"
            ])
        #expect(end.status == 2)
    }

    @Test("a host that cannot resolve gets one getaddrinfo line and exits 1")
    func unknownHost() throws {
        // Longer than a DNS label may be, so the resolver refuses it locally.
        let host = String(repeating: "a", count: 64)
        let end = try runAlone("lesson01-client", ["--host", host])
        #expect(end.errorLines.count == 1)
        #expect(end.errorLines.first?.hasPrefix("client: getaddrinfo(\(host)): ") == true)
        #expect(end.status == 1)
    }

    @Test("a server whose port is taken says another server holds it, and exits 1")
    func portInUse() throws {
        let holder = try TCPListener(host: "127.0.0.1", port: 0)
        let port = holder.address.port
        let end = try runAlone("lesson01-server", ["--port", "\(port)"])
        #expect(
            end.errorLines == [
                "server: bind(127.0.0.1:\(port)): Address already in use (EADDRINUSE) - another server still holds the port; stop it or pick another --port"
            ])
        #expect(end.status == 1)
    }

    @Test("--help prints the usage with every flag and exits 0")
    func help() throws {
        let end = try runAlone("lesson02-server", ["--help"])
        #expect(end.lines.first == "lesson02-server: shows recv blocking until the client closes")
        #expect(
            end.lines.contains(
                "usage: lesson02-server [--host HOST] [--port PORT] [--timeout SECONDS]"))
        #expect(end.status == 0)
    }
}

@Suite("Bad input: a server that hangs up", .mayBlock)
struct HangUpTests {
    @Test("lesson05-client says which command got no answer when the server hangs up, and exits 1")
    func serverHangsUp() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let client = try LessonProcess(
            "lesson05-client", arguments: ["--port", "\(listener.address.port)"])
        client.send("echo hi\n")
        let (connection, _) = try listener.accept()
        try connection.setReceiveTimeout(seconds: 10)
        var decoder = FrameDecoder(maximumBodySize: 1024)
        #expect(
            try connection.receiveFrame(&decoder, recvSize: 1024)?.body == Array("echo hi".utf8))
        connection.close()  // no answer
        let end = try client.finish(before: .now + runDeadline)
        #expect(
            end.errorLines == [
                #"client: the server closed the connection without answering "echo hi""#
            ])
        #expect(end.status == 1)
    }
}
