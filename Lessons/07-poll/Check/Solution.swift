import ExerciseKit
import NetUtil

/// How many answer bytes may wait for one client before the loop stops reading it.
let answerLimit = 65536

/// Exercise 07's reference solution: one thread, one poll per round; everything a
/// client needs between two rounds is kept in its own `LineClient`.
func serveUpperSolution(listener: Int32, stop: Int32) throws {
    var clients: [Int32: LineClient] = [:]
    defer { for socket in clients.keys { close(socket) } }
    while true {
        var entries = [
            pollfd(fd: stop, events: Int16(POLLIN), revents: 0),
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
        ]
        entries += clients.values.map { pollfd(fd: $0.socket, events: $0.wanted, revents: 0) }
        try waitInPoll(&entries)  // the only place this thread waits
        if entries[0].revents != 0 { return }
        if entries[1].revents != 0 {
            for socket in try acceptWaiting(listener) { clients[socket] = LineClient(socket) }
        }
        for entry in entries.dropFirst(2) where entry.revents != 0 {
            guard var client = clients[entry.fd] else { continue }
            client.step(entry.revents)
            clients[entry.fd] = client
            if client.isFinished {
                close(entry.fd)  // and out of the list: a closed socket is "ready" for ever
                clients[entry.fd] = nil
            }
        }
    }
}

/// One client, as the loop keeps it between two rounds.
struct LineClient {
    let socket: Int32
    /// Bytes of a line whose "\n" has not come yet.
    var unfinished: [UInt8] = []
    /// Answers the kernel has not taken yet.
    var unsent: [UInt8] = []
    /// recv returned 0: the client has sent all it will.
    var ended = false
    var failed = false

    init(_ socket: Int32) { self.socket = socket }

    /// POLLIN while its answers have room, POLLOUT while some wait.
    var wanted: Int16 {
        let reading = !ended && unsent.count < answerLimit
        return Int16((reading ? POLLIN : 0) | (unsent.isEmpty ? 0 : POLLOUT))
    }

    /// Nothing more will come from it, and nothing waits to go to it.
    var isFinished: Bool { failed || (ended && unsent.isEmpty) }

    /// One step for what poll reported: at most one recv, then send until EAGAIN.
    mutating func step(_ revents: Int16) {
        let readable = Int16(POLLIN | POLLHUP | POLLERR)
        if wanted & Int16(POLLIN) != 0 && revents & readable != 0 { receiveOnce() }
        sendWhatFits()
    }

    /// One recv: what has arrived, which may be half a line or several lines.
    mutating func receiveOnce() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let got = recv(socket, &buffer, buffer.count, 0)
        if got == 0 { ended = true }
        if got < 0 && ![EAGAIN, EWOULDBLOCK, EINTR].contains(errno) { failed = true }
        guard got > 0 else { return }
        unfinished += buffer[..<got]
        while let newline = unfinished.firstIndex(of: UInt8(ascii: "\n")) {
            unsent += capitals(unfinished[...newline])
            unfinished.removeSubrange(...newline)
        }
    }

    /// Sends until nothing waits or the kernel's buffer is full (EAGAIN): never waits.
    mutating func sendWhatFits() {
        while !unsent.isEmpty {
            // MSG_NOSIGNAL: a client that has gone makes send fail with EPIPE, not SIGPIPE.
            let took = send(socket, unsent, unsent.count, noSignalOnSend)
            if took < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { failed = true }
                return
            }
            unsent.removeFirst(took)
        }
    }
}

/// The line with a-z turned to A-Z.
func capitals(_ line: ArraySlice<UInt8>) -> [UInt8] {
    line.map { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) ? $0 - 32 : $0 }
}

/// Waits until one of `entries` is ready. The corresponding C function is `poll(2)`.
func waitInPoll(_ entries: inout [pollfd]) throws {
    while poll(&entries, nfds_t(entries.count), -1) < 0 {
        if errno != EINTR { throw ExerciseError.failed(call: "poll", errno: errno) }
    }
}

/// Accepts every connection waiting, each made non-blocking: on Linux, accept does
/// not pass O_NONBLOCK on from the listener (macOS does).
func acceptWaiting(_ listener: Int32) throws -> [Int32] {
    var accepted: [Int32] = []
    while true {
        let socket = accept(listener, nil, nil)
        if socket < 0 {
            if errno == EINTR || errno == ECONNABORTED { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return accepted }
            throw ExerciseError.failed(call: "accept", errno: errno)
        }
        _ = fcntl(socket, F_SETFD, FD_CLOEXEC)
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        accepted.append(socket)
    }
}
