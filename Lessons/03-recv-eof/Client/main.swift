// Lesson 03 · the client: send "hello", close. The server then reads past the end.
//
//     swift run lesson03-server        (terminal 1)
//     swift run lesson03-client        (terminal 2)
import NetUtil

runLesson(role: "client", summary: "sends \"hello\" and closes") { options in
    // The TCP handshake, as in lesson 01.
    let connection = try connectToServer(options)

    let message = "hello"
    let sent = try connection.sendAll(message)
    trace("send(\(quoted(message))) -> \(byteCount(sent))")

    // The FIN that close sends is the last thing on this connection. Once
    // the server has read past "hello", it reaches the end, and nothing can
    // ever follow it: every later recv there returns "" without waiting.
    connection.close()
    trace("close()")
}
