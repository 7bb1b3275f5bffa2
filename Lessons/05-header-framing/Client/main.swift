// Lesson 05 · the client: each command goes out as one frame; each answer is read as one.
//
//     swift run lesson05-server                              (terminal 1)
//     swift run lesson05-client [--recv-size N]              (terminal 2)
//     printf 'seq 1 500\nq\n' | swift run lesson05-client --recv-size 7
import NetUtil

let flags: [Flag] = [
    .count("recv-size", default: 65536, maximum: 1 << 20, help: "the most each recv asks for"),
    .count(
        "max-body", default: 64 << 20, maximum: 1 << 30,
        help: "the largest answer body accepted, in bytes"),
    .seconds(
        "timeout", default: 10, zero: "wait for ever", help: "how long the server may stay silent"),
    .choice("output", values: ["show", "hide"], default: "show", help: "print each answer's body"),
]

let summary = "sends commands as frames and prints each framed answer"

runLesson(role: "client", summary: summary, port: 8897, flags: flags) { options in
    let connection = try connectToServer(options)
    // A silent server, or one that stops half-way through a frame, must not hang us for ever.
    let timeout = options.seconds("timeout") ?? 10
    try connection.setReceiveTimeout(seconds: timeout)
    let recvSize = options.count("recv-size")
    // Checks every answer's total_size against our own limit before allocating the body.
    var decoder = FrameDecoder(maximumBodySize: options.count("max-body"))
    while let line = Input.line(prompt: "command> ") {
        let command = line.trimmingWhitespace
        if command.isEmpty { continue }
        if command == "q" { break }

        // Bytes that came before we asked would be taken as this command's answer,
        // and every later answer would be one behind: show them, then stop.
        if try connection.queuedByteCount() > 0 || !decoder.isBetweenFrames {
            if let frame = try connection.receiveFrame(&decoder, recvSize: recvSize) {
                trace(
                    "unsolicited: header \(escaped(frame.header.json)), body \(quoted(frame.body))")
                // Over --max-clients, the server greets us with one frame, status 75, and closes.
                let turnedAway = frame.header.integer("exit_status") == 75
                if turnedAway { throw ServerBusy(reason: frame.body) }
            }
            throw Unsolicited(command: command)
        }

        // The request is framed too, so the server never has to guess where it ends.
        let request = Frame(body: Array(command.utf8))
        let sent = try connection.sendFrame(request)
        let header = String(decoding: request.header.json, as: UTF8.self)
        trace(
            "sendmsg(length + header \(header) + body \(quoted(request.body))) -> \(byteCount(sent))"
        )

        // recv calls of at most --recv-size bytes; any bytes past this frame
        // wait in the decoder for the next answer.
        let answer: Frame?
        do {
            answer = try connection.receiveFrame(&decoder, recvSize: recvSize)
        } catch SocketError.timedOut {
            throw Silent(command: command, timeout: timeout, started: !decoder.isBetweenFrames)
        }
        guard let answer else { throw NoAnswer(command: command) }
        // Every byte of the header and body came from the peer: escaped, it cannot
        // end a line early and pass for one of our trace lines.
        trace("header length \(answer.header.json.count)")
        trace("header \(escaped(answer.header.json))")
        let crc = crc32Text(answer.body)
        guard answer.header.string("crc32") == crc else {
            trace("body \(byteCount(answer.body.count)), crc32 MISMATCH (body gives \(crc))")
            throw Damaged(command: command)
        }
        trace("body \(byteCount(answer.body.count)), crc32 ok")
        if !answer.body.isEmpty && options.choice("output") == "show" {
            let text =
                answer.body.last == UInt8(ascii: "\n") ? answer.body.dropLast() : answer.body[...]
            Output.line(escaped(text, asLines: true))
        }
    }
    connection.close()
    trace("close()")
}
