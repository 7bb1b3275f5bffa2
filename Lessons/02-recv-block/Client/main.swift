// Lesson 02 · the client: send "hello", then keep the connection open a while.
//
//     swift run lesson02-server [--timeout SECONDS]     (terminal 1)
//     swift run lesson02-client [--hold SECONDS]        (terminal 2)
import NetUtil

let flags: [Flag] = [
    .seconds(
        "hold", default: 20, zero: "close at once",
        help: "how long to keep the connection open after sending")
]

let summary = "sends \"hello\", holds the connection open, then closes"

runLesson(role: "client", summary: summary, flags: flags) { options in
    // The TCP handshake, as in lesson 01.
    let connection = try connectToServer(options)
    let message = "hello"
    let sent = try connection.sendAll(message)
    trace("send(\(quoted(message))) -> \(byteCount(sent))")

    // Connected and silent: the server's next recv has nothing to return and
    // no FIN to report, so it waits for as long as we hold.
    let hold = options.seconds("hold") ?? 0
    trace("holding the connection open for \(secondsText(.seconds(hold)))")
    sleep(seconds: hold)

    connection.close()
    trace("close()")
}
