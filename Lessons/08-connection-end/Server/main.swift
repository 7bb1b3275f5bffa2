// Lesson 08 · how a connection ends: FIN, half-close, RST, SO_LINGER 0, TIME_WAIT.
//
//     swift run lesson08-server --demo reset     (terminal 1)
//     swift run lesson08-client --demo reset     (terminal 2)
//     demos: orderly, half-close, reset, abort, time-wait (the same on both sides)
import NetUtil

let demos = ["orderly", "half-close", "reset", "abort", "time-wait"]
let flags: [Flag] = [
    .choice("demo", values: demos, default: "orderly", help: "which ending (same as the client)"),
    .seconds("wait", default: 5, help: "how long to wait for each step of the client"),
]

runLesson(role: "server", summary: "ends one connection the way --demo says", flags: flags) {
    options in
    let connection = try acceptOneClient(options)
    let (local, peer) = (try connection.localAddress(), try connection.peerAddress())
    let (demo, wait) = (options.choice("demo"), options.seconds("wait") ?? 0)
    // A client that never finishes its part costs this connection, nothing more.
    try connection.setReceiveTimeout(seconds: wait)
    switch demo {
    case "orderly":
        // The client sent "hello" and closed: every byte first, then "" (its FIN).
        _ = try readToEnd(connection)
        // A FIN says "I send no more", not "I read no more", so this send succeeds.
        // But the client has closed its socket, and its kernel answers with RST.
        let sent = try connection.sendOnce("bye", flags: noSignalOnSend)
        trace("send(\"bye\") -> \(byteCount(sent))")
        let events = try connection.waitUntilHungUp(seconds: wait) ?? "nothing yet"
        trace("poll -> \(events): the client's kernel answered with RST")
        // MSG_NOSIGNAL: this send fails with EPIPE instead of killing us with SIGPIPE.
        do {
            try connection.sendOnce("bye", flags: noSignalOnSend)
        } catch let error as SocketError { trace(describeFailure(error)) }
    case "half-close":
        // No length, no delimiter: the request ends where the client's FIN is.
        let request = try readToEnd(connection)
        // The client shut only its sending half; the answer goes back on the other.
        let answer = String(decoding: request, as: UTF8.self).uppercased()
        trace("send(\(quoted(answer))) -> \(byteCount(try connection.sendAll(answer)))")
    case "reset":
        // The client's "hello" arrives, and this server never reads it.
        let unread = try connection.waitUntilQueued(atLeast: 5, seconds: wait)
        trace("\(byteCount(unread)) queued, left unread on purpose")
        trace("send(\"bye\") -> \(byteCount(try connection.sendAll("bye")))")
        // Wait until "bye" sits in the client's buffer, so the reset cannot overtake it.
        _ = try connection.waitUntilAcknowledged(seconds: wait)
        // Closing over unread bytes tells the peer data was lost: RST, not FIN.
        trace("closing with \(byteCount(unread)) unread: the kernel sends RST, not FIN")
    case "abort":
        // Read all of "hello": this time nothing is left unread.
        _ = try readOnce(connection)
        // Linger on, for 0 seconds: close throws away anything unsent and resets.
        try connection.setLinger(seconds: 0)
        trace("setsockopt(SO_LINGER, on, 0 s)")
        trace("closing: RST at once, though nothing is unread")
    default:
        trace("send(\"bye\") -> \(byteCount(try connection.sendAll("bye")))")
        // This side sends the first FIN: it is the side that closes first.
        try connection.shutdown(.write)
        trace("shutdown(SHUT_WR): our FIN goes first")
        _ = try readOnce(connection)
    }
    connection.close()
    trace("close()")
    // No program holds the connection now; does the kernel still keep it?
    if demo == "abort" || demo == "time-wait" { trace(timeWaitReport(from: local, to: peer)) }
    if demo == "time-wait" {
        // A new server on the same port, as after a restart: bind without and with.
        for reuse in [false, true] {
            let how = reuse ? "with SO_REUSEADDR:" : "without SO_REUSEADDR:"
            do {
                let again = try listenTCP(host: options.host, port: local.port, reuseAddress: reuse)
                trace("\(how) bind(\(local)) -> 0, listening again")
                again.close()
            } catch let error as SocketError { trace("\(how) \(describeFailure(error))") }
        }
    }
}

/// One recv(1024), traced.
func readOnce(_ connection: Socket) throws -> [UInt8] {
    let bytes = try connection.receive(upTo: 1024)
    trace(describeReceive(size: 1024, bytes: bytes, queued: try connection.queuedByteCount()))
    return bytes
}

/// recv until "" (the client's FIN), keeping at most 64 KiB.
func readToEnd(_ connection: Socket) throws -> [UInt8] {
    var received: [UInt8] = []
    while received.count < 65536 {
        let bytes = try readOnce(connection)
        if bytes.isEmpty { break }
        received += bytes
    }
    return received
}
