// Lesson 07 · one thread, many clients: non-blocking sockets and poll(2).
//
//     swift run lesson07-server [--trace-loop]           (terminal 1)
//     swift run lesson07-client --connections 3          (terminal 2)
//     swift run lesson05-client                          (lesson 05's client works too)
import NetUtil

let flags: [Flag] = [
    .count("max-clients", default: 1000, maximum: 10000, help: "clients served at once"),
    .count(
        "queue-limit", default: 1 << 20, maximum: 64 << 20,
        help: "answer bytes a client may have waiting"),
    .count(
        "answer-budget", default: 64 << 20, maximum: 1 << 32,
        help: "answer bytes all clients together may have waiting"),
    .count("recv-size", default: 16384, maximum: 1 << 20, help: "the most each recv asks for"),
    .seconds(
        "idle", default: 60, zero: "never",
        help: "how long a client may send nothing or read nothing"),
    .seconds(
        "request-time", default: 10, zero: "never",
        help: "how long a request may take, from its first byte to its last"),
    .boolean("trace-loop", help: "also trace each poll, EAGAIN and partial write"),
]

let summary = "answers lesson 05's commands for many clients with one thread and poll"

// This loop watches for Ctrl-C itself (the stop pipe below): runLesson starts no thread for it.
runLesson(
    role: "server", summary: summary, port: 8897, flags: flags, watchesStopSignals: true
) { options in
    let listener = try TCPListener(host: options.host, port: options.port, backlog: 128)
    // From here on accept, recv and send never wait: they work at once or fail with EAGAIN.
    try listener.socket.makeNonBlocking()
    // Ctrl-C becomes a byte in a pipe, one more descriptor for poll to watch.
    let stop = try StopSignalPipe.install()
    trace("listening on \(listener.address)")
    var accepting = Accepting(listener, maximum: options.count("max-clients"))
    let duration = { (flag: String) in
        options.seconds(flag).flatMap { $0 > 0 ? Duration.milliseconds(Int($0 * 1000)) : nil }
    }
    let limits = ConnectionLimits(
        queueLimit: options.count("queue-limit"), recvSize: options.count("recv-size"),
        idle: duration("idle"), requestTime: duration("request-time"),
        traceLoop: options.isOn("trace-loop"))
    let budget = AnswerBudget(limit: options.count("answer-budget"))
    var connections: [Int32: Connection] = [:]

    while true {
        // What each descriptor waits for, this round: the stop pipe and the
        // listener for POLLIN, each connection for what its state needs.
        var entries = [
            pollfd(fd: stop.descriptor, events: Int16(POLLIN), revents: 0),
            accepting.pollEntry(),
        ]
        entries += connections.values.map {
            pollfd(fd: $0.socket.descriptor, events: $0.wantedEvents, revents: 0)
        }
        // The one place where this thread waits: for any descriptor at all, or
        // until the accept pause or the first client's --idle or --request-time is over.
        let deadlines = [accepting.pausedUntil] + connections.values.map(\.deadline)
        let wakeUp = deadlines.compactMap { $0 }.min()
        _ = try waitForReadiness(&entries, milliseconds: wakeUp.map(millisecondsUntil) ?? -1)
        if limits.traceLoop { trace(pollLine(entries, listener: listener, connections)) }

        if entries[0].revents != 0, let signal = stop.receivedSignal() {
            traceLastLine("stopping (\(signalName(signal)))")
            exit(0)  // the kernel closes every socket; each client sees its connection end
        }
        // A readable listener: accept takes each waiting connection without waiting.
        if entries[1].revents != 0 {
            for (socket, peer) in accepting.acceptWaiting(open: connections.count) {
                connections[socket.descriptor] = Connection(
                    socket, peer: peer, limits: limits, budget: budget)
            }
        }
        // Each ready connection gets one step: at most one recv, sends until EAGAIN.
        for entry in entries.dropFirst(2) where entry.revents != 0 {
            guard let connection = connections[entry.fd] else { continue }
            connection.handle(entry.revents)
            if connection.isClosed { connections[entry.fd] = nil }
        }
        // Requests that waited while all clients' answers were over --answer-budget.
        for connection in connections.values { connection.resumeIfBudgetAllows() }
        // Clients silent past --idle, or too slow to send one request, are let go.
        let now = ContinuousClock.now
        for (descriptor, connection) in connections
        where connection.isClosed || connection.letGoIfOverdue(now: now) {
            connections[descriptor] = nil
        }
    }
}
