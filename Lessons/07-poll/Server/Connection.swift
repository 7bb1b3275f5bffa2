// One client, as the poll loop sees it: everything a thread per client kept
// in its local variables and its place in the code, kept here between rounds.
import NetUtil

/// What each connection may use, from the command line.
struct ConnectionLimits {
    /// Answer bytes queued for one client before it is no longer read.
    let queueLimit: Int
    let recvSize: Int
    /// How long a client may go without a byte received from it or sent to it; nil: no limit.
    let idle: Duration?
    /// How long a request may take to arrive, from its first byte to its last; nil: no limit.
    let requestTime: Duration?
    let traceLoop: Bool
}

final class Connection {
    /// A socket just accepted, with its peer's address.
    typealias Accepted = (socket: Socket, peer: SocketAddress)

    let socket: Socket
    let peer: SocketAddress
    private let limits: ConnectionLimits
    /// Shared by every connection: all the answer bytes the server holds.
    private let budget: AnswerBudget
    /// The request read so far, which may be half a frame: the same decoder as
    /// lesson 05, fed whenever poll says bytes arrived. Requests are command
    /// lines: 64 KiB is plenty.
    private var incoming = IncomingFrames(maximumBodySize: 65536)
    /// Answers the kernel has not taken yet.
    private var output = OutputQueue()
    /// False while the output queue is full or after the client's last request.
    private var isReading = true
    /// True while received requests wait for room in the server's answer budget.
    private var waitsForBudget = false
    private var inputEnded = false
    private(set) var isClosed = false
    /// The last time a byte came in or went out: a thread per client would
    /// set SO_RCVTIMEO and SO_SNDTIMEO; a poll loop keeps its own clock.
    private var lastProgress = ContinuousClock.now
    /// When the first byte of the request now arriving came. Any byte resets
    /// the idle clock, so a client sending one byte a second would never be
    /// idle: this clock is not reset until the request is whole.
    private var requestStarted: ContinuousClock.Instant?

    init(_ socket: Socket, peer: SocketAddress, limits: ConnectionLimits, budget: AnswerBudget) {
        self.socket = socket
        self.peer = peer
        self.limits = limits
        self.budget = budget
    }

    /// What poll should watch for: POLLIN while reading and the server has
    /// room for answers, POLLOUT while answers wait.
    var wantedEvents: Int16 {
        Int16((isReading && budget.hasRoom ? POLLIN : 0) | (output.isEmpty ? 0 : POLLOUT))
    }

    /// When this connection will have been idle too long, or its request
    /// too slow, if there is a limit.
    var deadline: ContinuousClock.Instant? {
        let request = limits.requestTime.flatMap { time in requestStarted.map { $0 + time } }
        return [limits.idle.map { lastProgress + $0 }, request].compactMap { $0 }.min()
    }

    /// Lets the client go if it has been idle past `--idle`, or its request is
    /// not whole after `--request-time`; returns true if it did.
    func letGoIfOverdue(now: ContinuousClock.Instant) -> Bool {
        if let time = limits.requestTime, let started = requestStarted, started + time <= now {
            trace(
                "\(peer): request not whole after \(secondsText(time)) (--request-time); "
                    + "closing this connection")
        } else if let idle = limits.idle, lastProgress + idle <= now {
            let doing = isReading ? "sent nothing" : "read nothing of its answers"
            trace("\(peer): \(doing) for \(secondsText(idle)) (--idle); closing this connection")
        } else {
            return false
        }
        close()
        return true
    }

    /// One step for what poll reported. Nothing in here waits.
    func handle(_ events: Int16) {
        let ready = Int32(events)
        step {
            if ready & Int32(POLLOUT | POLLERR | POLLHUP) != 0 && !output.isEmpty {
                try flush()
                if !isReading && !waitsForBudget && !inputEnded && output.isEmpty {
                    isReading = true
                    trace("\(peer): queue drained: reading it again")
                    try answerWaitingRequests()
                }
            }
            if isReading && ready & Int32(POLLIN | POLLERR | POLLHUP) != 0 {
                try receive()
            }
        }
        if !isClosed && ready & Int32(POLLNVAL) != 0 {
            close()  // not a descriptor any more: drop it rather than spin
        } else if !isClosed && waitsForBudget && ready & Int32(POLLERR | POLLHUP) != 0 {
            // Nothing to send or read here: poll would report this again at once, for ever.
            trace("\(peer): the connection ended while its requests waited; closing it")
            close()
        }
    }

    /// Answers requests that waited for the answer budget, once it has room.
    func resumeIfBudgetAllows() {
        guard waitsForBudget && budget.hasRoom && !isClosed else { return }
        (waitsForBudget, lastProgress) = (false, .now)  // waiting here was not its fault
        isReading = true
        step { try answerWaitingRequests() }
    }

    /// Does `work`, then what follows from it. A failure closes this connection only.
    private func step(_ work: () throws -> Void) {
        do {
            try work()
            // The request clock runs while part of a request is here and more is being read.
            if !isReading || incoming.isBetweenFrames {
                requestStarted = nil
            } else if requestStarted == nil {
                requestStarted = .now
            }
            if inputEnded && output.isEmpty {
                trace("\(peer): closed the connection")
                close()
            }
        } catch let error as FrameError {
            // One bad client costs one connection, never the server.
            trace("\(peer): bad frame: \(error); closing this connection")
            close()
        } catch {
            // A client that vanished: ECONNRESET or EPIPE, not SIGPIPE.
            trace("\(peer): \(error); closing this connection")
            close()
        }
    }

    /// Exactly one recv: the next client gets its turn before this one gets another.
    private func receive() throws {
        let call = "recv(\(limits.recvSize))"
        switch try incoming.receive(from: socket, upTo: limits.recvSize) {
        case .wouldBlock:
            traceLoop("\(call) -> EAGAIN: nothing queued after all")
        case .closed:
            traceLoop("\(call) -> 0 bytes: the client has finished sending")
            isReading = false
            inputEnded = true
        case .bytes(let count):
            lastProgress = .now
            traceLoop("\(call) -> \(byteCount(count))")
            try answerWaitingRequests()
        }
    }

    /// Answers each whole request received, while the output queue has room.
    private func answerWaitingRequests() throws {
        while output.count < limits.queueLimit {
            // No new answer while the server as a whole holds too many.
            guard budget.hasRoom else {
                (isReading, waitsForBudget) = (false, true)
                return
            }
            guard let request = try incoming.nextFrame() else { return }
            // The same commands as lesson 05 (Commands.swift), each answer at most 8 MiB.
            let result = answer(to: request.body)
            let before = output.count
            output.append(answerFrame(result))
            budget.update(by: output.count - before)
            trace(
                "\(peer): \(quoted(request.body)) -> exit status \(result.status), "
                    + "\(byteCount(result.output.count)) in one frame")
            try flush()  // most answers leave at once, without another poll round
        }
        // A client that does not read its answers would make the queue grow
        // for ever. Stop reading it: its requests wait in the kernel, and in
        // the end its own sends block, not the server.
        isReading = false
        trace(
            "\(peer): \(byteCount(output.count)) queued, over --queue-limit: "
                + "not reading it until they are sent")
    }

    /// Sends until the queue is empty or the kernel's buffer is full.
    private func flush() throws {
        let offered = output.count
        // Counted even when send fails part-way, after some bytes went.
        defer { budget.update(by: output.count - offered) }
        let progress = try output.flush(to: socket)
        if progress.sent > 0 { lastProgress = .now }
        if progress.blocked {
            traceLoop(
                "send(\(offered)) -> \(byteCount(progress.sent)), then EAGAIN: "
                    + "\(byteCount(output.count)) wait for POLLOUT")
        } else {
            traceLoop("send(\(offered)) -> \(byteCount(progress.sent))")
        }
    }

    private func traceLoop(_ event: String) {
        if limits.traceLoop { trace("\(peer): \(event)") }
    }

    private func close() {
        guard !isClosed else { return }
        budget.update(by: -output.count)  // these answers will never be sent
        output = OutputQueue()
        socket.close()
        isClosed = true
    }
}

/// The answer's frame: its exit status and the CRC-32 of its output in the header.
func answerFrame(_ result: Answer) -> Frame {
    Frame(
        fields: [
            "exit_status": .integer(Int(result.status)),
            "crc32": .string(crc32Text(result.output)),
        ],
        body: result.output)
}

/// One line per poll call: how many descriptors it watched, and which were ready for what.
func pollLine(_ entries: [pollfd], listener: TCPListener, _ connections: [Int32: Connection])
    -> String
{
    let watched = entries.filter { $0.fd >= 0 }.count
    let ready = entries.filter { $0.revents != 0 }.map { entry in
        let name =
            entry.fd == listener.socket.descriptor
            ? "listener" : connections[entry.fd].map { "\($0.peer)" } ?? "stop signal"
        return "\(name) \(readinessText(entry.revents))"
    }
    let outcome = ready.isEmpty ? "timed out" : "ready: " + ready.joined(separator: ", ")
    return "poll(\(watched) descriptors) -> \(outcome)"
}
