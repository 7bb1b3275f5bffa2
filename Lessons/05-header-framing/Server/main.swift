// Lesson 05 · header framing done right: every message is a length, a JSON header and a body.
//
//     swift run lesson05-server                   (terminal 1)
//     swift run lesson05-client [--recv-size N]   (terminal 2)
import NetUtil

let summary = "answers commands (echo, seq, ...) for many clients at once, one frame per message"

runLesson(role: "server", summary: summary, port: 8897) { options in
    let listener = try TCPListener(host: options.host, port: options.port, backlog: 16)
    trace("listening on \(listener.address)")
    // Ctrl-C: exit at once. The kernel closes every socket, and each client
    // sees its connection end.
    onStopSignal { signal in
        trace("stopping (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))")
        exit(0)
    }
    while true {
        do {
            let (connection, peer) = try listener.accept()
            trace("\(peer): connected")
            // One thread per client: a slow, silent or broken client blocks only its own thread.
            try startThread { serve(connection, peer: peer) }
        } catch {
            // A client that gave up before accept (ECONNABORTED), or no descriptor
            // or thread left (EMFILE, EAGAIN): that client is lost, the server is not.
            trace("\(error)")
        }
    }
}

// Answers one client's commands, one frame in, one frame out, until it leaves.
func serve(_ connection: Socket, peer: SocketAddress) {
    // A request is one command line: 64 KiB is plenty. The decoder checks
    // each length against its limit before it allocates anything.
    var decoder = FrameDecoder(maximumBodySize: 65536)
    do {
        while let request = try connection.receiveFrame(&decoder, recvSize: 65536) {
            // No shell, no program: the server answers its few commands itself
            // (see Commands.swift), each answer at most 8 MiB.
            let result = answer(to: request.body)
            let response = Frame(
                fields: [
                    "exit_status": .integer(Int(result.status)),
                    "crc32": .string(crc32Text(result.output)),
                ],
                body: result.output)
            // Length, header and body leave in one sendmsg, not three small sends.
            try connection.sendFrame(response)
            trace(
                "\(peer): \(quoted(request.body)) -> exit status \(result.status), "
                    + "\(byteCount(result.output.count)) in one frame")
        }
        trace("\(peer): closed the connection")
    } catch let error as FrameError {
        // One bad client costs one connection, never the server.
        trace("\(peer): bad frame: \(error); closing this connection")
    } catch {
        // A client that vanished mid-answer: EPIPE or ECONNRESET, not SIGPIPE.
        trace("\(peer): \(error); closing this connection")
    }
    connection.close()
}
