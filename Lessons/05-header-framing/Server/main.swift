// Lesson 05 · header framing done right: every message is a length, a JSON header and a body.
//
//     swift run lesson05-server [--max-clients N] [--idle SECONDS]   (terminal 1)
//     swift run lesson05-client [--recv-size N]                      (terminal 2)
import NetUtil

let flags: [Flag] = [
    .count("max-clients", default: 16, maximum: 1000, help: "clients served at once"),
    .seconds(
        "idle", default: 60, zero: "never",
        help: "let go of a client that sends or reads nothing this long, or takes longer"
            + " than this over one request"),
]

let summary = "answers commands (echo, seq, ...) for many clients at once, one frame per message"

runLesson(role: "server", summary: summary, port: 8897, flags: flags) { options in
    let listener = try TCPListener(host: options.host, port: options.port, backlog: 16)
    trace("listening on \(listener.address)")
    let clients = ConnectionLimit(maximum: options.count("max-clients"))
    let idle = options.seconds("idle") ?? 60
    while true {
        do {
            // Out of descriptors (EMFILE), accept waits and retries, slower and slower.
            let (connection, peer) = try listener.acceptWaitingOutShortages()
            guard clients.enter() else {
                // One client too many gets one frame saying so; the others go on.
                let busy = "busy: already serving \(clients.maximum), the most at once; try later\n"
                _ = try? connection.sendFrame(answerFrame(Answer(status: 75, output: bytes(busy))))
                trace("\(peer): turned away, \(clients.maximum) clients already (--max-clients)")
                connection.close()
                continue
            }
            trace("\(peer): connected")
            // One thread per client: a slow, silent or broken client blocks only its own thread.
            try startThread {
                let ending = serve(connection, peer: peer, idle: idle)
                // The place is free before the line says so: whoever reads it may connect.
                clients.leave()
                trace("\(peer): \(ending)")
            }
        } catch {
            // A client that gave up before accept (ECONNABORTED), or no thread
            // left (EAGAIN): that client is lost, the server is not.
            trace("\(error)")
        }
    }
}

// Answers one client's commands, one frame in, one frame out, until it leaves;
// closes the connection and says how it ended.
func serve(_ connection: Socket, peer: SocketAddress, idle: Double) -> String {
    defer { connection.close() }
    // A request is one command line: 64 KiB is plenty. The decoder checks
    // each length against its limit before it allocates anything.
    var decoder = FrameDecoder(maximumBodySize: 65536)
    do {
        // A client that sends nothing, or reads nothing, for `idle` seconds is let go;
        // so is one whose request, once begun, is not all in within `idle` seconds.
        try connection.setSendTimeout(seconds: idle)
        let frameTime = idle > 0 ? idle : nil
        while let request = try connection.receiveFrame(
            &decoder, recvSize: 65536, frameTime: frameTime)
        {
            // No shell, no program: the server answers its few commands itself
            // (see Commands.swift), each answer at most 8 MiB.
            let result = answer(to: request.body)
            // Length, header and body leave in one sendmsg, not three small sends.
            try connection.sendFrame(answerFrame(result))
            trace(
                "\(peer): \(quoted(request.body)) -> exit status \(result.status), "
                    + "\(byteCount(result.output.count)) in one frame")
        }
        return "closed the connection"
    } catch let error as FrameError {
        // One bad client costs one connection, never the server.
        return "bad frame: \(error); closing this connection"
    } catch let error as SocketError where error.isTooSlow {
        return "\(error) (--idle); closing this connection"
    } catch {
        // A client that vanished mid-answer: EPIPE or ECONNRESET, not SIGPIPE.
        return "\(error); closing this connection"
    }
}

// The answer's frame: its exit status and the CRC-32 of its output in the header.
func answerFrame(_ result: Answer) -> Frame {
    Frame(
        fields: [
            "exit_status": .integer(Int(result.status)),
            "crc32": .string(crc32Text(result.output)),
        ],
        body: result.output)
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
