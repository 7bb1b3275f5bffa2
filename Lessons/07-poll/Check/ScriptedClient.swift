import ExerciseKit
import NetUtil

/// A scripted client of the loop, over real TCP on loopback. Every wait has a deadline.
struct ScriptedClient {
    let name: String
    let socket: Socket

    init(_ name: String, of loop: RunningLoop) throws {
        self.name = name
        socket = try connectTCP(host: "127.0.0.1", port: loop.port).connection
    }

    func send(_ text: String) throws { _ = try socket.sendAll(bytes(text)) }

    /// What arrives up to the first "\n", or all that came before `limit` ran out
    /// or the loop returned.
    func readLine(from loop: RunningLoop, within limit: Duration = answerTime) throws -> [UInt8] {
        var got: [UInt8] = []
        let deadline = ContinuousClock.now + limit
        while !got.contains(UInt8(ascii: "\n")) && ContinuousClock.now < deadline
            && !loop.hasReturned
        {
            // A short poll, so that a loop which returned is noticed at once.
            var entry = [pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)]
            guard try waitForReadiness(&entry, milliseconds: 10) > 0 else { continue }
            let piece = try socket.receive(upTo: 4096)
            if piece.isEmpty { break }
            got += piece
        }
        return got
    }

    /// Whether the loop closed its end within `limit`: recv returns 0 (or a reset).
    func seesTheEnd(within limit: Duration = answerTime) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            var entry = [pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)]
            guard (try? waitForReadiness(&entry, milliseconds: 10)) ?? 0 > 0 else { continue }
            guard let piece = try? socket.receive(upTo: 65536) else { return true }
            if piece.isEmpty { return true }
        }
        return false
    }

    /// Waits until the loop's recv has taken every byte this client sent: the
    /// loop's end of the connection, found by its addresses, has nothing queued.
    func waitUntilTaken(by loop: RunningLoop, within limit: Duration = answerTime) throws -> Bool {
        let deadline = ContinuousClock.now + limit
        let port = try socket.localAddress().port
        while ContinuousClock.now < deadline && !loop.hasReturned {
            if let end = serverEnd(ofClientPort: port, listenerPort: loop.port),
                try Socket.queued(at: end) == 0
            {
                return true
            }
            sleep(seconds: 0.001)
        }
        return false
    }

    /// Bytes waiting at this client, unread.
    func queued() throws -> Int { try socket.queuedByteCount() }
}

extension Socket {
    /// FIONREAD on a descriptor this check does not own (the loop's end).
    fileprivate static func queued(at descriptor: Int32) throws -> Int {
        var count: Int32 = 0
        #if canImport(Glibc)
            let request = UInt(FIONREAD)
        #else
            let request: UInt = 0x4004_667F  // FIONREAD on macOS, a macro Swift cannot import
        #endif
        guard ioctl(descriptor, request, &count) == 0 else { return -1 }
        return Int(count)
    }
}

/// The descriptor the loop accepted for the client whose port is `client`: the
/// checks run in the loop's process, so they can look at its sockets.
private func serverEnd(ofClientPort client: UInt16, listenerPort: UInt16) -> Int32? {
    func port(
        _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>)
            -> Int32, _ descriptor: Int32
    ) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(descriptor, $0, &length) }
        }
        return status == 0 && address.sin_family == sa_family_t(AF_INET)
            ? UInt16(bigEndian: address.sin_port) : nil
    }
    return (3..<1024).first { descriptor in
        port(getpeername, descriptor) == client && port(getsockname, descriptor) == listenerPort
    }.map { Int32($0) }
}
