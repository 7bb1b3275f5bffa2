// Lesson 07 · the client: several connections at once, and poll to read whichever answers first.
//
//     swift run lesson07-server                                            (terminal 1)
//     swift run lesson07-client --connections 3                            (terminal 2)
//     printf 'echo hello\nseq 1 3\n' | swift run lesson07-client --connections 5
import NetUtil

let flags: [Flag] = [
    .count("connections", default: 3, maximum: 1000, help: "connections to open at once"),
    .count(
        "max-body", default: 64 << 20, maximum: 1 << 30,
        help: "the largest answer body accepted, in bytes"),
    .seconds(
        "timeout", default: 10, zero: "wait for ever", help: "how long the server may stay silent"),
]

let summary = "sends each command on several connections at once; prints answers as they arrive"

runLesson(role: "client", summary: summary, port: 8897, flags: flags) { options in
    let timeout = options.seconds("timeout") ?? 0
    var connections: [(socket: Socket, incoming: IncomingFrames)] = []
    for number in 1...options.count("connections") {
        let (socket, _) = try connectTCP(host: options.host, port: options.port)
        trace("#\(number): connected from \(try socket.localAddress())")
        connections.append((socket, IncomingFrames(maximumBodySize: options.count("max-body"))))
    }
    while let line = Input.line(prompt: "command> ") {
        let command = line.trimmingWhitespace
        if command.isEmpty { continue }
        if command == "q" { break }

        // Every connection gets the request before any answer is read, so the
        // server has them all to serve at once.
        for connection in connections {
            try connection.socket.sendFrame(Frame(body: Array(command.utf8)))
        }
        trace("sent \(quoted(command)) on all \(connections.count) connections")

        // poll says which connections have bytes; only those are read, so no
        // recv waits while another connection's answer is already here.
        var waiting = Set(connections.indices)
        while !waiting.isEmpty {
            var entries = waiting.sorted().map {
                pollfd(fd: connections[$0].socket.descriptor, events: Int16(POLLIN), revents: 0)
            }
            // A silent server would keep poll waiting for ever: --timeout bounds each wait.
            let milliseconds = timeout > 0 ? Int32(timeout * 1000) : -1
            if try waitForReadiness(&entries, milliseconds: milliseconds) == 0 {
                throw NoAnswer(
                    command: command, silent: (waiting.count, connections.count, timeout))
            }
            for entry in entries where entry.revents != 0 {
                let index = connections.firstIndex { $0.socket.descriptor == entry.fd }!
                guard let answer = try nextAnswer(&connections[index], command: command)
                else { continue }  // part of a frame so far: the rest comes in a later round
                waiting.remove(index)
                let crc = answer.header.string("crc32") == crc32Text(answer.body) ? "ok" : "BAD"
                let status = answer.header.integer("exit_status").map(String.init) ?? "missing"
                trace(
                    "#\(index + 1): exit status \(status), \(byteCount(answer.body.count)), "
                        + "crc32 \(crc): \(quoted(answer.body, limit: 40))")
            }
        }
    }
    for connection in connections { connection.socket.close() }
    trace("close() on all \(connections.count) connections")
}

/// A whole answer if this connection has one now; one recv, which poll said will not wait.
func nextAnswer(
    _ connection: inout (socket: Socket, incoming: IncomingFrames), command: String
) throws -> Frame? {
    if let frame = try connection.incoming.nextFrame() { return frame }
    if try connection.incoming.receive(from: connection.socket, upTo: 65536) == .closed {
        throw NoAnswer(command: command)
    }
    return try connection.incoming.nextFrame()
}

// The server hung up between frames, or stayed silent past --timeout, before answering.
struct NoAnswer: Error, CustomStringConvertible {
    let command: String
    var silent: (waiting: Int, of: Int, seconds: Double)? = nil
    var description: String {
        guard let silent else {
            return "the server closed a connection without answering \(quoted(command))"
        }
        return "no answer to \(quoted(command)) on \(silent.waiting) of \(silent.of) connections "
            + "within \(secondsText(.milliseconds(Int(silent.seconds * 1000)))) (--timeout)"
    }
}
