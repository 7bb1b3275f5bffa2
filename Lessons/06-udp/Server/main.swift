// Lesson 06 · UDP keeps each datagram whole: one sendto, one recvfrom, no connection.
//
//     swift run lesson06-server [--reply upper|echo] [--buffer N]    (terminal 1)
//     swift run lesson06-client                                      (terminal 2)
// At a terminal, with no --reply, you type each answer at the >>> prompt.
import NetUtil

let flags: [Flag] = [
    .count("buffer", default: 1024, maximum: 65_536, help: "bytes recvfrom may take; more is cut"),
    .choice(
        "reply", values: ["upper", "echo"], help: "answer by itself (upper when stdin is not a tty)"
    ),
    .boolean("pause", help: "wait for a line on stdin before the first recvfrom"),
]

let summary = "answers each datagram it receives; no listen, no accept, no connection"

runLesson(role: "server", summary: summary, port: 9000, flags: flags) { options in
    // socket + bind, and that is all: no listen, no accept. Datagrams from
    // every client land in this one socket's receive queue.
    let udp = try UDPSocket(host: options.host, port: options.port)
    let own = try udp.localAddress()
    trace("listening on \(own)")
    // Typed replies need someone at a keyboard; a pipe or a script gets automatic ones.
    let reply = options.choice("reply") ?? (Input.isTerminal ? "typed" : "upper")
    if reply == "typed" {
        trace("you type each reply at the >>> prompt; start the client with --typed to wait for it")
    }

    // While nobody calls recvfrom, arriving datagrams wait in the queue, each one kept apart.
    if options.isOn("pause") {
        trace("paused: datagrams wait in the receive queue until a line is entered")
        _ = Input.line()
    }

    let size = options.count("buffer")
    while true {
        // recvfrom blocks until a datagram is queued, then takes exactly one,
        // and says who sent it. Past `size` bytes, the kernel throws the rest away.
        let datagram = try udp.receive(upTo: size)
        trace(describeReceiveFrom(size: size, datagram: datagram))
        // Only a forged datagram comes from this socket's own address. Answering
        // it would send the answer to ourselves, and answer that, for ever.
        if datagram.sender.port == own.port && datagram.sender.host == own.host {
            trace(
                "not answered: a datagram from this server's own address is forged, "
                    + "and answering it would make the server answer itself for ever")
            continue
        }

        // The bytes are never decoded as text, so binary or broken UTF-8 cannot crash us.
        var answer = datagram.bytes
        if reply == "upper" {
            // ASCII a-z become A-Z; every other byte, text or not, goes back as it came.
            let lowercase = UInt8(ascii: "a")...UInt8(ascii: "z")
            answer = answer.map { lowercase.contains($0) ? $0 - 32 : $0 }
        } else if reply == "typed" {
            Output.prompt(">>> ")
            guard let line = Input.line() else { return }  // Ctrl-D ends the server
            answer = line
        }

        // The reply goes to the address recvfrom reported: nothing else links it to the request.
        do {
            let sent = try udp.send(answer, to: datagram.sender)
            trace("sendto(\(quoted(answer)), \(datagram.sender)) -> \(byteCount(sent))")
        } catch {
            // One peer's trouble is not the server's: say so and serve the next datagram.
            trace("\(error); reply dropped")
        }
    }
}
