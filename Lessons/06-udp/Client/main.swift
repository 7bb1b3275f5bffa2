// Lesson 06 · the client: each line becomes one datagram; no answer in time means send again.
//
//     swift run lesson06-server --reply upper                          (terminal 1)
//     swift run lesson06-client [--timeout SECONDS] [--connect]        (terminal 2)
// Type lines, or pipe them in: printf 'a\nbb\nccc\n' | swift run lesson06-client --burst
// Replies typed at the server's >>> prompt: swift run lesson06-client --typed
import NetUtil

let flags: [Flag] = [
    .seconds("timeout", default: 1, zero: "wait for ever", help: "how long to wait for each reply"),
    .count(
        "retries", default: 3, maximum: 100, zero: "send each line once",
        help: "how many times to send again when no answer came"),
    .boolean("connect", help: "connect the socket to the server, so refusals are reported"),
    .boolean("burst", help: "send every line back to back first, then read the replies"),
    .boolean("typed", help: "a person types the replies: wait for each as long as it takes, once"),
]

let summary = "sends each line on stdin as one datagram and waits for the reply"

runLesson(role: "client", summary: summary, port: 9000, flags: flags) { options in
    let server = try resolveDatagram(host: options.host, port: options.port)
    // No handshake: this socket exists only on our side. The first send binds it to a free port.
    let udp = try UDPSocket(family: server.family)
    let connected = options.isOn("connect")
    if connected {
        // connect sends nothing; the kernel notes the peer, drops datagrams from
        // anyone else, and reports an ICMP "port unreachable", if one comes back,
        // as ECONNREFUSED.
        try udp.connect(to: server)
        trace("connect(\(server)) -> 0: no packet sent, the peer is only noted")
    }
    // A person typing a reply needs more than a second, and a resent copy would
    // reach their >>> prompt as a new message: --typed waits once, for ever.
    let typed = options.isOn("typed")
    if typed && (options.isGiven("timeout") || options.isGiven("retries")) {
        throw TypedLimits()
    }
    // UDP has no acknowledgements: a lost request and a lost reply both look
    // like silence, so every wait for a reply needs a limit of our own.
    let timeout = typed ? 0 : options.seconds("timeout") ?? 1
    try udp.setReceiveTimeout(seconds: timeout)
    if Input.isTerminal { trace("sending to \(server); type a line, Ctrl-D to end") }

    func send(_ line: [UInt8]) throws {
        // A connected socket already knows where to send; an unconnected one is told each time.
        if connected {
            trace("send(\(quoted(line))) -> \(byteCount(try udp.send(line)))")
        } else {
            trace(
                "sendto(\(quoted(line)), \(server)) -> \(byteCount(try udp.send(line, to: server)))"
            )
        }
    }
    // Whatever datagram comes next is taken as the reply: true, or false when the timeout expired.
    func receivedReply() throws -> Bool {
        do {
            let datagram = try udp.receive(upTo: 1024)
            // Unconnected, the socket takes a datagram from anyone; only the address tells.
            let stranger = "\(datagram.sender)" != "\(server)"
            let note = stranger ? ": not the server's address, taken as the reply all the same" : ""
            trace(describeReceiveFrom(size: 1024, datagram: datagram) + note)
            return true
        } catch .timedOut {
            return false
        }
    }

    if options.isOn("burst") {
        // All the lines go out before any reply is read: the server finds them queued together.
        var lines: [[UInt8]] = []
        while let line = Input.line() { lines.append(line) }
        for line in lines { try send(line) }
        for _ in lines {
            guard try receivedReply() else { throw NoAnswer(server: server, tries: 1) }
        }
        return
    }

    let tries = typed ? 1 : 1 + options.count("retries")
    let waited = secondsText(.seconds(timeout))
    // A person at a terminal gets a prompt; a pipe gets none, so the trace stays clean.
    func nextLine() -> [UInt8]? {
        if Input.isTerminal { Output.prompt("send> ") }
        return Input.line()
    }
    while let line = nextLine() {
        var answered = false
        for attempt in 1...tries where !answered {
            try send(line)
            answered = try receivedReply()
            if !answered { trace("no answer within \(waited) (try \(attempt) of \(tries))") }
        }
        if !answered { throw NoAnswer(server: server, tries: tries) }
    }
}
