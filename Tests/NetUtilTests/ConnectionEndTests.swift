import Foundation
import Synchronization
import TestThreads
import Testing

@testable import NetUtil

/// How a TCP connection can end, as Notes.md ("Before you start", lesson 03's table) tells it.
/// Each test waits for the FIN or RST to arrive (poll, with a deadline), never for a set time.
@Suite("How a connection ends", .mayBlock)
struct ConnectionEndTests {
    /// Waits until `socket` has something to report (data, FIN, RST), for at most 5 s.
    func waitForEvent(_ socket: Socket, _ events: Int32 = POLLIN) {
        var entry = pollfd(fd: socket.descriptor, events: Int16(events), revents: 0)
        _ = poll(&entry, 1, 5000)
    }

    /// Waits until `count` bytes are queued at `socket`, for at most 5 s.
    func waitForQueued(_ socket: Socket, _ count: Int) throws {
        #expect(try socket.waitUntilQueued(atLeast: count, seconds: 5) == count)
    }

    @Test(
        "on Linux, bytes queued before a reset are read first, then one ECONNRESET, then \"\" and EPIPE"
    )
    func resetAfterQueuedBytes() throws {
        #if os(Linux)
            let (client, server) = try makeLoopbackTCPPair()
            try client.setReceiveTimeout(seconds: 5)
            try server.sendAll("data")
            try client.sendAll("z")
            try waitForQueued(server, 1)
            try waitForQueued(client, 4)
            server.close()  // "z" unread: RST, not FIN
            waitForEvent(client, POLLERR)
            #expect(try client.receive(upTo: 100) == bytes("data"))
            #expect(throws: SocketError.failed(call: "recv(100)", address: nil, errno: ECONNRESET))
            {
                try client.receive(upTo: 100)
            }
            #expect(try client.receive(upTo: 100) == [])
            #expect(throws: SocketError.failed(call: "send", address: nil, errno: EPIPE)) {
                try client.sendAll("more")
            }
        #endif
    }

    @Test("on Linux, a reset after the FIN goes unreported: recv keeps returning \"\"")
    func resetAfterFin() throws {
        #if os(Linux)
            let (client, server) = try makeLoopbackTCPPair()
            try client.setReceiveTimeout(seconds: 5)
            _ = shutdown(server.descriptor, Int32(SHUT_WR))  // FIN, and the socket stays open
            #expect(try client.receive(upTo: 100) == [])
            try client.sendAll("z")
            try waitForQueued(server, 1)
            server.close()  // "z" unread: RST
            waitForEvent(client, POLLERR)
            for _ in 0..<3 {
                #expect(try client.receive(upTo: 100) == [])
            }
        #endif
    }

    @Test("closing with SO_LINGER set to 0 seconds resets the connection instead of ending it")
    func lingerZeroResets() throws {
        let (client, server) = try makeLoopbackTCPPair()
        try client.setReceiveTimeout(seconds: 5)
        var abortOnClose = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(
            server.descriptor, SOL_SOCKET, SO_LINGER, &abortOnClose,
            socklen_t(MemoryLayout<linger>.size))
        server.close()
        #expect(throws: SocketError.failed(call: "recv(100)", address: nil, errno: ECONNRESET)) {
            try client.receive(upTo: 100)
        }
    }

    @Test("closing one of two descriptors of a socket sends no FIN; closing the last one does")
    func finOnLastClose() throws {
        let (client, server) = try makeLoopbackTCPPair()
        let copy = Socket(adopting: dup(server.descriptor))
        server.close()
        try client.setReceiveTimeout(seconds: 0.2)
        #expect(throws: SocketError.timedOut(call: "recv(100)")) {
            try client.receive(upTo: 100)
        }
        copy.close()
        try client.setReceiveTimeout(seconds: 5)
        #expect(try client.receive(upTo: 100) == [])
    }

    @Test("shutdown on a socket makes a recv blocked in another thread return \"\"")
    func shutdownWakesReader() throws {
        let (client, server) = try makeLoopbackTCPPair()
        try server.setReceiveTimeout(seconds: 5)
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<[UInt8]?>(nil)
        let reader = Mutex<String?>(nil)
        Thread.detachNewThread {
            reader.withLock { $0 = threadStatPath() }
            let bytes = try? server.receive(upTo: 100)
            result.withLock { $0 = bytes }
            done.signal()
        }
        // Shut down only once the reader is asleep in the kernel, inside recv.
        let asleep = waitUntilAsleep(reader, before: .now + .seconds(5))
        #expect(asleep)
        _ = shutdown(server.descriptor, Int32(SHUT_RDWR))
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(result.withLock { $0 } == [])
        _ = client
    }

    @Test("on Linux, a signal ends a recv that has SO_RCVTIMEO with EINTR, even under SA_RESTART")
    func interruptedDespiteRestart() throws {
        #if os(Linux)
            let (client, server) = try makeLoopbackTCPPair()
            try server.setReceiveTimeout(seconds: 5)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in }
            action.sa_flags = SA_RESTART
            sigaction(SIGUSR2, &action, nil)
            let reader = Mutex<pthread_t?>(nil)
            let outcome = Mutex<Int32?>(nil)
            Thread.detachNewThread {
                var usr2 = sigset_t()
                sigemptyset(&usr2)
                sigaddset(&usr2, SIGUSR2)
                pthread_sigmask(SIG_UNBLOCK, &usr2, nil)
                reader.withLock { $0 = pthread_self() }
                var byte: UInt8 = 0
                // The raw call: NetUtil's receive would retry the EINTR away.
                let result = recv(server.descriptor, &byte, 1, 0)
                outcome.withLock { $0 = result == -1 ? errno : 0 }
            }
            // A signal sent before the reader reaches recv is simply missed, so
            // keep sending until the call has ended; a restarted call would
            // instead wait out its 5 s and end with EAGAIN.
            let deadline = ContinuousClock.now + .seconds(10)
            while outcome.withLock({ $0 }) == nil && ContinuousClock.now < deadline {
                if let thread = reader.withLock({ $0 }) { pthread_kill(thread, SIGUSR2) }
                usleep(10_000)
            }
            #expect(outcome.withLock { $0 } == EINTR)
            _ = client
        #endif
    }
}

/// `/proc/self/task/TID/stat` of the calling thread: its tid read from the
/// `/proc/thread-self` link (Linux), or nil where there is none.
private func threadStatPath() -> String? {
    guard
        let target = try? FileManager.default.destinationOfSymbolicLink(
            atPath: "/proc/thread-self")
    else { return nil }
    return "/proc/" + target + "/stat"
}

/// Waits until the thread whose stat path `reader` holds is in state S
/// (asleep in the kernel, here inside recv); true if it got there in time.
/// Where /proc is missing (macOS) it cannot tell, and says yes at once.
private func waitUntilAsleep(
    _ reader: borrowing Mutex<String?>, before deadline: ContinuousClock.Instant
) -> Bool {
    #if os(Linux)
        while ContinuousClock.now < deadline {
            if let path = reader.withLock({ $0 }),
                let stat = try? String(contentsOfFile: path, encoding: .utf8),
                let afterName = stat.range(of: ") ")?.upperBound,
                stat[afterName...].hasPrefix("S")
            {
                return true
            }
            usleep(1000)
        }
        return false
    #else
        return true
    #endif
}
