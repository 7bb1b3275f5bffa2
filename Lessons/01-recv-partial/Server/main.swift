// Lesson 01 · recv takes at most what you ask for; the rest waits in the kernel.
//
//     swift run lesson01-server        (terminal 1)
//     swift run lesson01-client        (terminal 2)
import NetUtil

let flags: [Flag] = [
    .seconds(
        "client-timeout", default: 30, zero: "never",
        help: "how long a recv may wait for the client")
]

let summary = "reads \"hello\" with recv(2), recv(2), recv(1)"

runLesson(role: "server", summary: summary, flags: flags) { options in
    // socket + SO_REUSEADDR + bind + listen, in one call.
    let listener = try TCPListener(host: options.host, port: options.port)
    trace("listening on \(listener.address)")

    // accept blocks until a client has finished the TCP handshake.
    let (connection, peer) = try listener.accept()
    trace("accepted \(peer)")
    listener.close()
    // A client that sends less than "hello" must not hold the server for ever.
    try connection.setReceiveTimeout(seconds: options.seconds("client-timeout") ?? 0)

    // All five bytes of "hello" are in the receive buffer by now or soon.
    // Each recv copies out at most the size asked for and leaves the rest
    // queued in the kernel, where the next recv finds it.
    for size in [2, 2, 1] {
        let bytes = try connection.receive(upTo: size)
        trace(describeReceive(size: size, bytes: bytes, queued: try connection.queuedByteCount()))
    }
    connection.close()
}
