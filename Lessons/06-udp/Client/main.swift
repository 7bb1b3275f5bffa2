// Lesson 06 · the client: each line becomes one datagram; no answer in time means send again.
//
//     swift run lesson06-server --reply upper                          (terminal 1)
//     swift run lesson06-client [--timeout SECONDS] [--connect]        (terminal 2)
// Type lines, or pipe them in: printf 'a\nbb\nccc\n' | swift run lesson06-client --burst
import NetUtil

let flags: [Flag] = [
    .seconds("timeout", default: 1, help: "how long to wait for each reply; 0 waits for ever"),
    .count("retries", default: 3, help: "how many times to send again when no answer came"),
    .boolean("connect", help: "connect the socket to the server, so refusals are reported"),
    .boolean("burst", help: "send every line back to back first, then read the replies"),
]

// UDP itself never promises to say "nobody is there"; only our own timeout always does.
struct NoAnswer: Error, CustomStringConvertible {
    let server: SocketAddress
    let tries: Int
    var description: String {
        "no answer from \(server) after \(tries) tries; is the server running?"
    }
}

let summary = "sends each line on stdin as one datagram and waits for the reply"

runLesson(role: "client", summary: summary, port: 9000, flags: flags) { options in
    let server = try resolveDatagram(host: options.host, port: options.port)
    // No handshake: this socket exists only on our side. The first send binds it to a free port.
    let udp = try UDPSocket(family: server.family)
    let connected = options.isOn("connect")
    if connected {
        // connect sends nothing; the kernel notes the peer, and from now on
        // reports an ICMP "port unreachable", if one comes back, as ECONNREFUSED.
        try udp.connect(to: server)
        trace("connect(\(server)) -> 0: no packet sent, the peer is only noted")
    }
    // UDP has no acknowledgements: a lost request and a lost reply both look
    // like silence, so every wait for a reply needs a limit of our own.
    let timeout = options.seconds("timeout") ?? 1
    try udp.setReceiveTimeout(seconds: timeout)

    func send(_ line: [UInt8]) throws {
        // A connected socket already knows where to send; an unconnected one is told each time.
        if connected {
            let sent = try udp.send(line)
            trace("send(\(quoted(line))) -> \(byteCount(sent))")
        } else {
            let sent = try udp.send(line, to: server)
            trace("sendto(\(quoted(line)), \(server)) -> \(byteCount(sent))")
        }
    }
    // Whatever datagram comes next is taken as the reply: true, or false when the timeout expired.
    func receivedReply() throws -> Bool {
        do {
            trace(describeReceiveFrom(size: 1024, datagram: try udp.receive(upTo: 1024)))
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

    let tries = 1 + options.count("retries")
    let waited = secondsText(.seconds(timeout))
    while let line = Input.line() {
        var answered = false
        for attempt in 1...tries where !answered {
            try send(line)
            answered = try receivedReply()
            if !answered { trace("no answer within \(waited) (try \(attempt) of \(tries))") }
        }
        if !answered { throw NoAnswer(server: server, tries: tries) }
    }
}
