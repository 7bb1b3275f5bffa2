// Lesson 03 · the client: send "hello", close. The server then reads past the end.
//
//     swift run lesson03-server        (terminal 1)
//     swift run lesson03-client        (terminal 2)
import NetUtil

runLesson(role: "client", summary: "sends \"hello\" and closes") { options in
    // connect performs the TCP handshake; it fails at once if nobody listens.
    let (connection, server) = try connectTCP(host: options.host, port: options.port)
    trace("connected to \(server)")

    // send returns once the bytes are in our kernel's send buffer, not when
    // the server has read them: the server's recv calls come later.
    let sent = try connection.sendAll("hello")
    trace("send(\"hello\") -> \(byteCount(sent))")

    // close sends FIN after the data; the server reads "hello" first anyway.
    connection.close()
    trace("close()")
}
