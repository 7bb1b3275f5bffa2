// Lesson 04 · TCP keeps no message boundaries: two sends arrive as one, one answer as two.
//
//     swift run lesson04-server --demo merge|spill     (terminal 1)
//     swift run lesson04-client --demo merge|spill     (terminal 2)
import NetUtil

let flags: [Flag] = [
    .choice("demo", values: ["merge", "spill"], default: "merge", help: "which face to show"),
    .seconds(
        "wait", default: 5, zero: "do not wait",
        help: "merge: how long to wait for both messages to arrive"),
    .seconds(
        "client-timeout", default: 30, zero: "never",
        help: "how long a recv or send may wait on the client"),
]

let summary = "reads two sends with one recv (merge), or runs commands unframed (spill)"

runLesson(role: "server", summary: summary, flags: flags) { options in
    // Listen, accept one client, stop listening: the steps of lesson 01.
    let connection = try acceptOneClient(options)
    // A client that sends nothing, or reads nothing, must not hold the server for ever.
    try connection.setReceiveTimeout(seconds: options.seconds("client-timeout") ?? 0)
    try connection.setSendTimeout(seconds: options.seconds("client-timeout") ?? 0)
    if options.choice("demo") == "merge" {
        try merge(connection, wait: options.seconds("wait") ?? 0)
    } else {
        try spill(connection)
    }
    connection.close()
    trace("close()")
}

// The merge client sends "hello" and "world", 10 bytes, with two send calls.
func merge(_ connection: Socket, wait: Double) throws {
    // Wait, without reading, until those 10 bytes sit in the receive buffer.
    // The kernel appends each arriving segment to the same byte queue;
    // nothing in it remembers where one send ended and the next began,
    // so the server can count bytes, never the send calls that made them.
    let queued = try connection.waitUntilQueued(atLeast: 10, seconds: wait)
    if queued < 10 {
        trace("only \(byteCount(queued)) queued after \(secondsText(.seconds(wait))), not 10")
    } else {
        trace("\(byteCount(queued)) queued; nothing in them marks where a send ended")
    }

    // One recv copies out everything queued, up to 1024 bytes: both messages at once.
    let bytes = try connection.receive(upTo: 1024)
    trace(describeReceive(size: 1024, bytes: bytes, queued: try connection.queuedByteCount()))
}

// The tutorial's first remote-command server: no framing at all.
func spill(_ connection: Socket) throws {
    while true {
        // recv(1024) returns whatever is queued: the server just hopes it
        // is exactly one command.
        let request = try connection.receive(upTo: 1024)
        trace(describeReceive(size: 1024, bytes: request, queued: try connection.queuedByteCount()))
        if request.isEmpty || request == Array("q".utf8) { return }

        // No shell, no program: the server answers its few commands itself.
        let result = answer(to: request)
        trace("exit status \(result.status), \(byteCount(result.output.count)) of output")

        // The output goes out raw. Nothing tells the client where it ends.
        // An empty output makes no send call at all: there are no bytes to put on the wire.
        if result.output.isEmpty {
            trace("no output, so no send: nothing goes on the wire")
            continue
        }
        let sent = try connection.sendAll(result.output)
        trace("send(output) -> \(byteCount(sent))")
    }
}
