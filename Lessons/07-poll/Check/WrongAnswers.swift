import ExerciseKit
import NetUtil

// Each wrong answer below is the reference solution with one classic mistake.

/// After POLLIN, recv until a whole line has come: a client that sends half a line
/// and goes quiet keeps the one thread in this loop, and every other client waits.
func serveUpperWaitsForWholeLines(listener: Int32, stop: Int32) throws {
    try loop(listener: listener, stop: stop) { client, _ in
        repeat {
            client.receiveOnce()  // EAGAIN: nothing yet, so round again, and again
        } while !client.ended && !client.failed && client.unsent.isEmpty
        client.sendWhatFits()
    }
}

/// One buffer for every client's unfinished line: A's "hel" and B's "hi\n" make one line.
func serveUpperSharedBuffer(listener: Int32, stop: Int32) throws {
    var everyonesLine: [UInt8] = []
    try loop(listener: listener, stop: stop) { client, _ in
        client.unfinished = everyonesLine
        client.receiveOnce()
        everyonesLine = client.unfinished
        client.sendWhatFits()
    }
}

/// Closes a client that has closed, but leaves it in the poll list: poll reports
/// it (POLLNVAL) at once, every round, and the loop spins.
func serveUpperKeepsClosedSockets(listener: Int32, stop: Int32) throws {
    try loop(listener: listener, stop: stop, dropsFinished: false) { client, revents in
        guard !client.isFinished else { return }
        client.step(revents)
        if client.isFinished { close(client.socket) }
    }
}

/// Sends every answer before going back to poll, waiting for room if need be: a
/// client that reads nothing keeps the one thread waiting in this send.
func serveUpperBlockingSend(listener: Int32, stop: Int32) throws {
    try loop(listener: listener, stop: stop) { client, _ in
        client.receiveOnce()
        while !client.unsent.isEmpty && !client.failed {
            client.sendWhatFits()
            var room = [pollfd(fd: client.socket, events: Int16(POLLOUT), revents: 0)]
            _ = poll(&room, 1, -1)
        }
    }
}

/// Reads every client whenever it sends, however many answers wait for it.
func serveUpperUnlimitedQueue(listener: Int32, stop: Int32) throws {
    let alwaysReading = { (client: LineClient) in
        Int16(POLLIN | (client.unsent.isEmpty ? 0 : POLLOUT))
    }
    try loop(listener: listener, stop: stop, wanted: alwaysReading) { client, revents in
        if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { client.receiveOnce() }
        client.sendWhatFits()
    }
}

/// One send per answer, its count never looked at: what the kernel had no room for is lost.
func serveUpperOneSend(listener: Int32, stop: Int32) throws {
    try loop(listener: listener, stop: stop) { client, revents in
        if client.wanted & Int16(POLLIN) != 0 && revents & Int16(POLLIN | POLLHUP) != 0 {
            client.receiveOnce()
        }
        if !client.unsent.isEmpty {
            _ = send(client.socket, client.unsent, client.unsent.count, noSignalOnSend)
            client.unsent = []
        }
    }
}

/// Lesson 05's way: a thread per client, each with blocking calls and its own socket.
func serveUpperThreadPerClient(listener: Int32, stop: Int32) throws {
    while true {
        var entries = [
            pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
        ]
        try waitInPoll(&entries)
        if entries[0].revents != 0 { return }
        for socket in try acceptWaiting(listener) {
            _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) & ~O_NONBLOCK)
            try startThread {
                var client = LineClient(socket)
                while !client.isFinished {
                    client.receiveOnce()
                    client.sendWhatFits()
                }
                close(socket)
            }
        }
    }
}

/// The reference solution's loop, with `step` in place of `LineClient.step`,
/// `wanted` in place of `LineClient.wanted`, and, if `dropsFinished` is false,
/// without taking finished clients out of the list.
private func loop(
    listener: Int32, stop: Int32, dropsFinished: Bool = true,
    wanted: (LineClient) -> Int16 = \.wanted, step: (inout LineClient, Int16) -> Void
) throws {
    var clients: [Int32: LineClient] = [:]
    defer { for client in clients.values where !client.isFinished { close(client.socket) } }
    while true {
        var entries = [
            pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
        ]
        entries += clients.values.map { pollfd(fd: $0.socket, events: wanted($0), revents: 0) }
        try waitInPoll(&entries)
        if entries[0].revents != 0 { return }
        if entries[1].revents != 0 {
            for socket in try acceptWaiting(listener) { clients[socket] = LineClient(socket) }
        }
        for entry in entries.dropFirst(2) where entry.revents != 0 {
            guard var client = clients[entry.fd] else { continue }
            step(&client, entry.revents)
            clients[entry.fd] = client
            if client.isFinished && dropsFinished {
                close(entry.fd)
                clients[entry.fd] = nil
            }
        }
    }
}
