// Lesson 03 · after the peer closes and the buffer is drained, recv returns "" at once.
//
//     swift run lesson03-server        (terminal 1)
//     swift run lesson03-client        (terminal 2)
import NetUtil

let flags: [Flag] = [
    .count(
        "spins", default: 1000, maximum: 1_000_000,
        help: "how many more recv calls to make after the end"),
    .seconds(
        "client-timeout", default: 30, zero: "never",
        help: "how long a recv may wait for the client"),
]

let summary = "shows recv returning \"\" for ever once the peer has closed"

runLesson(role: "server", summary: summary, flags: flags) { options in
    // Listen, accept one client, stop listening: the steps of lesson 01.
    let connection = try acceptOneClient(options)
    // A client that never sends or closes must not hold the server for ever.
    try connection.setReceiveTimeout(seconds: options.seconds("client-timeout") ?? 0)

    // The first recv gets "hello". The second waits for the client's FIN and
    // returns 0 bytes: the end of the stream. The third returns 0 bytes at
    // once, because nothing more can ever arrive on this connection.
    for _ in 1...3 {
        let bytes = try connection.receive(upTo: 1024)
        trace(describeReceive(size: 1024, bytes: bytes, queued: try connection.queuedByteCount()))
    }

    // A read loop that does not stop on "" never blocks again: it spins,
    // burning a CPU core. Count how fast the empty results come back.
    let spins = options.count("spins")
    let started = ContinuousClock.now
    var empty = 0
    while empty < spins, try connection.receive(upTo: 1024).isEmpty {
        empty += 1
    }
    let elapsed = millisecondsText(ContinuousClock.now - started)
    trace(
        "\(empty) more recv(1024) calls returned \"\" in \(elapsed): a loop that ignores \"\" spins"
    )
    connection.close()
}
