// Lesson 08 · the client: sends "hello", then ends or watches the end the way --demo says.
//
//     swift run lesson08-server --demo reset     (terminal 1)
//     swift run lesson08-client --demo reset     (terminal 2)
//     demos: orderly, half-close, reset, abort, time-wait (the same on both sides)
import NetUtil

let demos = ["orderly", "half-close", "reset", "abort", "time-wait"]
let flags: [Flag] = [
    .choice("demo", values: demos, default: "orderly", help: "which ending (same as the server)"),
    .seconds("wait", default: 5, help: "how long to wait for each step of the server"),
]

runLesson(role: "client", summary: "watches one connection end the way --demo says", flags: flags) {
    options in
    let connection = try connectToServer(options)
    let (local, server) = (try connection.localAddress(), try connection.peerAddress())
    let wait = options.seconds("wait") ?? 0
    try connection.setReceiveTimeout(seconds: wait)
    let demo = options.choice("demo")
    if demo != "time-wait" {
        trace("send(\"hello\") -> \(byteCount(try connection.sendAll("hello")))")
    }
    switch demo {
    case "orderly":
        break  // close, below, sends FIN after "hello": the server reads it all, then "".
    case "half-close":
        // FIN now, as close would send it, but this socket can still receive.
        try connection.shutdown(.write)
        trace("shutdown(SHUT_WR): our FIN says the request is complete")
        try readToEnd(connection)
    case "reset":
        // Wait, reading nothing, until the server's close has reset the connection.
        let events = try connection.waitUntilHungUp(seconds: wait) ?? "nothing yet"
        trace("poll -> \(events): the connection was reset")
        // What was queued before the RST comes first, then the error, then "".
        try readToEnd(connection)
        // MSG_NOSIGNAL: without it, this send would kill the client with SIGPIPE.
        do {
            try connection.sendOnce("more", flags: noSignalOnSend)
        } catch let error as SocketError { trace(describeFailure(error)) }
    case "abort":
        // The server read everything, yet its close resets: no "" comes first.
        try readToEnd(connection)
    default:
        // The server sends the first FIN; ours, at close below, is the second.
        try readToEnd(connection)
    }
    connection.close()
    trace("close()")
    // The side that closes second keeps nothing once its last FIN is acknowledged.
    if demo == "time-wait" { trace(timeWaitReport(from: local, to: server)) }
}

/// recv(1024) until "", tracing each call, a reset (ECONNRESET) included:
/// it is reported once, and the call after it returns "".
func readToEnd(_ connection: Socket) throws(SocketError) {
    // At most 64 calls (64 KiB): these demos send a few bytes, never more.
    for _ in 1...64 {
        do throws(SocketError) {
            let bytes = try connection.receive(upTo: 1024)
            let queued = (try? connection.queuedByteCount()) ?? 0
            trace(describeReceive(size: 1024, bytes: bytes, queued: queued))
            if bytes.isEmpty { return }
        } catch {
            // A reset is what these demos show; any other error ends the lesson.
            guard case .failed(_, _, ECONNRESET) = error else { throw error }
            trace(describeFailure(error))
        }
    }
}
