// Lesson 05 · the client: each command goes out as one frame; each answer is read as one.
//
//     swift run lesson05-server                              (terminal 1)
//     swift run lesson05-client [--recv-size N]              (terminal 2)
//     printf 'seq 1 500\nq\n' | swift run lesson05-client --recv-size 7
import NetUtil

let flags: [Flag] = [
    .count("recv-size", default: 65536, maximum: 1 << 20, help: "the most each recv asks for"),
    .count("max-body", default: 64 << 20, help: "the largest answer body accepted, in bytes"),
    .choice("output", values: ["show", "hide"], default: "show", help: "print each answer's body"),
]

let summary = "sends commands as frames and prints each framed answer"

runLesson(role: "client", summary: summary, port: 8897, flags: flags) { options in
    let connection = try connectToServer(options)
    // Checks every answer's total_size against our own limit before allocating the body.
    var decoder = FrameDecoder(maximumBodySize: options.count("max-body"))
    while let line = Input.line(prompt: "command> ") {
        let command = line.trimmingWhitespace
        if command.isEmpty { continue }
        if command == "q" { break }

        // The request is framed too, so the server never has to guess where it ends.
        let request = Frame(body: Array(command.utf8))
        let sent = try connection.sendFrame(request)
        let header = String(decoding: request.header.json, as: UTF8.self)
        trace("sendmsg(length + header \(header) + body) -> \(byteCount(sent))")

        // recv calls of at most --recv-size bytes; any bytes past this frame
        // wait in the decoder for the next answer.
        guard
            let answer = try connection.receiveFrame(&decoder, recvSize: options.count("recv-size"))
        else {
            throw NoAnswer(command: command)
        }
        trace("header length \(answer.header.json.count)")
        trace("header \(String(decoding: answer.header.json, as: UTF8.self))")
        let crc = crc32Text(answer.body)
        let check = answer.header.string("crc32") == crc ? "ok" : "MISMATCH (body gives \(crc))"
        trace("body \(byteCount(answer.body.count)), crc32 \(check)")
        if !answer.body.isEmpty && options.choice("output") == "show" {
            let text =
                answer.body.last == UInt8(ascii: "\n") ? answer.body.dropLast() : answer.body[...]
            Output.line(String(decoding: text, as: UTF8.self))
        }
    }
    connection.close()
    trace("close()")
}

// The server hung up between frames, before answering: the command's fate is unknown.
struct NoAnswer: Error, CustomStringConvertible {
    let command: String
    var description: String {
        "the server closed the connection without answering \(quoted(command))"
    }
}
