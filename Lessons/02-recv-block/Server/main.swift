// Lesson 02 · an empty receive buffer makes recv wait while the peer is open.
//
//     swift run lesson02-server [--timeout SECONDS]     (terminal 1)
//     swift run lesson02-client [--hold SECONDS]        (terminal 2)
import NetUtil

let flags: [Flag] = [
    .seconds(
        "timeout", zero: "never give up", help: "give up on the blocked recv after this long")
]

let summary = "shows recv blocking until the client closes"

runLesson(role: "server", summary: summary, flags: flags) { options in
    // Listen, accept one client, stop listening: the steps of lesson 01.
    let connection = try acceptOneClient(options)

    // The first recv gets "hello", which the client sent at once.
    let first = try connection.receive(upTo: 1024)
    trace(describeReceive(size: 1024, bytes: first, queued: try connection.queuedByteCount()))

    // Now the buffer is empty but the client is still connected, so the
    // kernel cannot tell whether more is coming: recv sleeps until data, a
    // FIN or an RST arrives, or the receive timeout (if set) expires.
    if let timeout = options.seconds("timeout") {
        try connection.setReceiveTimeout(seconds: timeout)
    }
    let started = ContinuousClock.now
    do {
        let second = try connection.receive(upTo: 1024)
        let waited = secondsText(ContinuousClock.now - started)
        let line = describeReceive(
            size: 1024, bytes: second, queued: try connection.queuedByteCount())
        trace("\(line) after blocking \(waited)")
    } catch SocketError.timedOut {
        // The kernel reports an expired SO_RCVTIMEO as EAGAIN.
        trace("recv(1024) timed out after \(secondsText(ContinuousClock.now - started)) (EAGAIN)")
    }
    connection.close()
}
