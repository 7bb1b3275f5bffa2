import Foundation
import LessonProcess
import NetUtil
import Testing

/// A whole lesson run: the server's and the client's transcripts, from
/// their real executables talking over loopback.
struct LessonRun {
    /// Every line the server printed on standard output, the "listening on" line first.
    var server: [String]
    var client: [String]
    var serverStatus: Int32
    var clientStatus: Int32
    /// The port the server was given by the kernel.
    var port: UInt16
}

/// How long any single lesson run may take before the test fails; no test
/// comes near it unless something hangs.
let runDeadline: Duration = .seconds(15)

/// Starts `lessonNN-server` on a free port (`--port 0`), waits for its
/// "listening on" line, starts `lessonNN-client` against that port, and
/// collects both transcripts; `input`, if any, is piped to the client. Every
/// wait has a deadline; both processes are killed if anything goes wrong, so
/// none outlives the test.
func runLesson(
    _ number: String,
    server serverArguments: [String] = [],
    client clientArguments: [String] = [],
    input: String? = nil,
    host: String = "127.0.0.1"
) throws -> LessonRun {
    let deadline = ContinuousClock.now + runDeadline
    let server = try LessonProcess(
        "lesson\(number)-server", arguments: ["--host", host, "--port", "0"] + serverArguments)
    let listening = try server.waitForLine(containing: "server: listening on ", before: deadline)
    let port = try #require(listeningPort(listening))
    let client = try LessonProcess(
        "lesson\(number)-client",
        arguments: ["--host", host, "--port", "\(port)"] + clientArguments)
    if let input { client.send(input) }  // finish then closes the client's standard input
    let clientEnd = try client.finish(before: deadline)
    let serverEnd = try server.finish(before: deadline)
    return LessonRun(
        server: [listening] + serverEnd.lines,
        client: clientEnd.lines,
        serverStatus: serverEnd.status,
        clientStatus: clientEnd.status,
        port: port
    )
}

/// The port at the end of `server: listening on 127.0.0.1:43211` or `... [::1]:43211`.
func listeningPort(_ line: String) -> UInt16? {
    line.split(separator: ":").last.flatMap { UInt16($0) }
}

/// Runs one program alone (no peer) to its end, for bad-input tests.
func runAlone(_ product: String, _ arguments: [String]) throws -> LessonProcess.Finished {
    try LessonProcess(product, arguments: arguments).finish(before: .now + runDeadline)
}

/// The part of a timed line between `prefix` and `suffix`, read as seconds:
/// `after blocking 0.51 s` gives 0.51.
func secondsBetween(_ prefix: String, _ suffix: String, in line: String) -> Double? {
    guard line.hasPrefix(prefix), line.hasSuffix(suffix) else { return nil }
    return Double(line.dropFirst(prefix.count).dropLast(suffix.count))
}

/// Starts a one-client server with `--client-timeout 0.3`, connects a client
/// that sends nothing, and returns how the server ended and how long that
/// took from the connect. The client stays open until the server has ended.
func endingOnSilentClient(_ product: String) throws -> (
    end: LessonProcess.Finished, waited: Duration
) {
    let deadline = ContinuousClock.now + runDeadline
    let server = try LessonProcess(
        product, arguments: ["--port", "0", "--client-timeout", "0.3"])
    let port = try #require(
        listeningPort(try server.waitForLine(containing: "listening on", before: deadline)))
    let (client, _) = try connectTCP(host: "127.0.0.1", port: port)
    let started = ContinuousClock.now
    let end = try server.finish(before: deadline)
    let waited = ContinuousClock.now - started
    client.close()
    return (end, waited)
}
