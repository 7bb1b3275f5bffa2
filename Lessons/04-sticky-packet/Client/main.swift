// Lesson 04 · the client: two quick sends (merge), or commands read with recv(1024) (spill).
//
//     swift run lesson04-server --demo merge|spill     (terminal 1)
//     swift run lesson04-client --demo merge|spill     (terminal 2)
//     printf 'seq 1 500\necho hi\nq\n' | swift run lesson04-client --demo spill
import NetUtil

let flags: [Flag] = [
    .choice("demo", values: ["merge", "spill"], default: "merge", help: "which face to show"),
    .seconds(
        "wait", default: 5, zero: "do not wait",
        help: "spill: how long to wait for an answer to arrive"
    ),
]

let summary = "sends two messages (merge), or commands from standard input (spill)"

runLesson(role: "client", summary: summary, flags: flags) { options in
    let connection = try connectToServer(options)
    if options.choice("demo") == "merge" {
        // Two send calls, two messages in our mind; on the wire, just bytes.
        for message in ["hello", "world"] {
            let sent = try connection.sendAll(message)
            trace("send(\(quoted(message))) -> \(byteCount(sent))")
        }
    } else {
        try commands(connection, wait: options.seconds("wait") ?? 0)
    }
    connection.close()
    trace("close()")
}

// Sends each line typed (or piped in) and shows one recv(1024) as its answer.
func commands(_ connection: Socket, wait: Double) throws {
    while let line = Input.line(prompt: "command> ") {
        let command = line.trimmingWhitespace
        if command.isEmpty { continue }
        // Bytes from an earlier answer that one recv(1024) did not take.
        let leftover = try connection.queuedByteCount()
        if leftover > 0 { trace("\(byteCount(leftover)) of an earlier answer still queued") }
        let sent = try connection.sendAll(command)
        trace("send(\(quoted(command))) -> \(byteCount(sent))")
        if command == "q" { return }

        // Wait until this command's answer has arrived, so that timing plays
        // no part in what the recv below returns. (An empty answer never arrives.)
        guard try connection.waitUntilQueued(atLeast: leftover + 1, seconds: wait) > leftover
        else {
            let waited = secondsText(.seconds(wait))
            trace("nothing arrived within \(waited): an empty answer sends no bytes")
            continue
        }
        // One recv(1024), as in the tutorial: leftovers first, and at most 1024 bytes.
        let answer = try connection.receive(upTo: 1024)
        trace(describeReceive(size: 1024, bytes: answer, queued: try connection.queuedByteCount()))
        let text = answer.last == UInt8(ascii: "\n") ? answer.dropLast() : answer[...]
        Output.line(escaped(text, asLines: true))  // no control byte reaches the terminal raw
    }
}
