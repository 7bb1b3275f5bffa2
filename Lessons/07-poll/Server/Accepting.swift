// New clients, as the poll loop sees them: accept never waits here, and a
// shortage of descriptors pauses accepting instead of stopping the thread.
import NetUtil

/// The listening socket, and what the loop knows about accepting from it.
struct Accepting {
    let listener: TCPListener
    /// `--max-clients`: one more gets a busy frame, as from lesson 05's server.
    let maximum: Int
    /// While accept keeps failing for lack of descriptors or memory: when to try
    /// again, and the pause after that, doubling from 10 ms up to 1 s.
    private(set) var pausedUntil: ContinuousClock.Instant?
    private var pause: Duration = .zero

    init(_ listener: TCPListener, maximum: Int) {
        self.listener = listener
        self.maximum = maximum
    }

    /// The listener's entry for poll. A paused listener gets a negative
    /// descriptor, which poll skips.
    mutating func pollEntry() -> pollfd {
        if let until = pausedUntil, until <= .now { pausedUntil = nil }
        let descriptor = pausedUntil == nil ? listener.socket.descriptor : -1
        return pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    }

    /// Accepts every connection waiting in the backlog and returns them; those
    /// over the limit are turned away. `open` connections are open already.
    mutating func acceptWaiting(open: Int) -> [Connection.Accepted] {
        var accepted: [Connection.Accepted] = []
        while true {
            do {
                guard let (socket, peer) = try listener.acceptIfReady() else { break }
                pause = .zero
                guard open + accepted.count < maximum else {
                    turnAway(socket, peer: peer)
                    continue
                }
                try socket.makeNonBlocking()
                accepted.append((socket, peer))
                trace("\(peer): connected (\(open + accepted.count) open)")
            } catch .failed(let call, let address, let code) where shortages.contains(code) {
                if pause == .zero {
                    let error = SocketError.failed(call: call, address: address, errno: code)
                    trace("\(error); trying again, less and less often, until it works")
                }
                pause = pause == .zero ? .milliseconds(10) : min(pause * 2, .seconds(1))
                pausedUntil = .now + pause
                break
            } catch {
                trace("\(error)")  // ECONNABORTED: a client that gave up before accept
                break
            }
        }
        return accepted
    }

    /// One frame saying why, then the end. The answer is a few dozen bytes and
    /// the socket's send buffer is empty, so this send takes it all at once.
    private func turnAway(_ socket: Socket, peer: SocketAddress) {
        trace("\(peer): turned away, \(maximum) clients already (--max-clients)")
        let busy = "busy: \(maximum) clients connected, the most served at once; try later\n"
        _ = try? socket.sendFrame(answerFrame(Answer(status: 75, output: Array(busy.utf8))))
        socket.close()
    }
}

/// The errors that mean "no room right now", not "something is wrong".
private let shortages: Set<Int32> = [EMFILE, ENFILE, ENOBUFS, ENOMEM]

/// poll's timeout for waking up at `instant`, at least 1 ms. A one-thread
/// server must not sleep: its other clients would wait too.
func millisecondsUntil(_ instant: ContinuousClock.Instant) -> Int32 {
    let (seconds, attoseconds) = (instant - .now).components
    return Int32(clamping: max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1))
}
