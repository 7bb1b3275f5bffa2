// Lesson 01 · the client: connect, send "hello" in one call, close.
//
//     swift run lesson01-server        (terminal 1)
//     swift run lesson01-client        (terminal 2)
import NetUtil

runLesson(role: "client", summary: "sends \"hello\" and closes") { options in
    // connect performs the TCP handshake. On loopback it fails at once if
    // nobody listens; a remote host's firewall may stay silent, and then it waits.
    let (connection, server) = try connectTCP(host: options.host, port: options.port)
    trace("connected to \(server)")

    // send returns once the bytes are in our kernel's send buffer, not when
    // the server has read them: the server's recv calls come later.
    let message = "hello"
    let sent = try connection.sendAll(message)
    trace("send(\(quoted(message))) -> \(byteCount(sent))")

    // close sends FIN after the data; the server reads "hello" first anyway.
    connection.close()
    trace("close()")
}
