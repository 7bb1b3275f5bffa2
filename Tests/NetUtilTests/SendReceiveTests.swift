import Foundation
import TestThreads
import Testing

@testable import NetUtil

@Suite("Sending and receiving", .mayBlock)
struct SendReceiveTests {
    @Test("sendAll keeps calling send until every byte is written, even one byte per call")
    func partialWrites() throws {
        let (socket, _) = makeSocketPair()
        let message = bytes("partial writes are normal")
        var written: [UInt8] = []
        var calls = 0
        let count = try socket.sendAll(message) { chunk in
            calls += 1
            if calls == 2 {
                errno = EINTR  // a signal arrived: nothing written, try again
                return -1
            }
            written.append(chunk[0])
            return 1
        }
        #expect(count == message.count)
        #expect(written == message)
        #expect(calls == message.count + 1)
    }

    @Test("sendAll moves 4 MiB through a socket intact while the reader drains it")
    func bulkTransfer() throws {
        let (sender, receiver) = makeSocketPair()
        let message = (0..<4 << 20).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? sender.sendAll(message)
            sender.close()
            done.signal()
        }
        let received = try receiver.receiveExactly(message.count)
        #expect(received == message)
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test("receive returns what is queued, up to the size asked, and leaves the rest queued")
    func receiveTakesPart() throws {
        let (sender, receiver) = makeSocketPair()
        try sender.sendAll("hello")
        #expect(try receiver.receive(upTo: 2) == bytes("he"))
        #expect(try receiver.queuedByteCount() == 3)
        #expect(try receiver.receive(upTo: 1024) == bytes("llo"))
        #expect(try receiver.queuedByteCount() == 0)
    }

    @Test("recv returns \"\" at once after the peer closed, again and again")
    func emptyAfterClose() throws {
        let (sender, receiver) = try makeLoopbackTCPPair()
        // A recv that waited would end with .timedOut here instead of hanging.
        try receiver.setReceiveTimeout(seconds: 2)
        try sender.sendAll("hi")
        sender.close()
        #expect(try receiver.receive(upTo: 1024) == bytes("hi"))
        for _ in 0..<3 {
            let start = ContinuousClock.now
            #expect(try receiver.receive(upTo: 1024) == [])
            // A call that returns at once takes microseconds; 50 ms is far above that.
            #expect(ContinuousClock.now - start < .milliseconds(50))
        }
    }

    @Test("receiveExactly assembles 1000 bytes that arrive one byte per recv")
    func exactlyFromTinyChunks() throws {
        let (socket, _) = makeSocketPair()
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        var offset = 0
        var calls = 0
        let received = try socket.receiveExactly(message.count) { buffer in
            calls += 1
            buffer[0] = message[offset]
            offset += 1
            return 1
        }
        #expect(received == message)
        #expect(calls == 1000)
    }

    @Test("receiveExactly collects bytes sent by 200 separate send calls")
    func exactlyFromManySends() throws {
        let (sender, receiver) = makeSocketPair()
        let message = (0..<200).map { UInt8(truncatingIfNeeded: $0) }
        Thread.detachNewThread {
            for byte in message { _ = try? sender.sendAll([byte]) }
        }
        #expect(try receiver.receiveExactly(message.count) == message)
    }

    @Test("receiveExactly returns nil when the peer closes before sending anything")
    func exactlyCleanEnd() throws {
        let (sender, receiver) = makeSocketPair()
        sender.close()
        #expect(try receiver.receiveExactly(8) == nil)
    }

    @Test("receiveExactly reports an end part-way: 3 of 8 bytes")
    func exactlyEndPartWay() throws {
        let (sender, receiver) = makeSocketPair()
        try sender.sendAll("abc")
        sender.close()
        #expect(throws: SocketError.closedPartWay(expected: 8, received: 3)) {
            try receiver.receiveExactly(8)
        }
    }

    @Test("a receive timeout ends a blocked recv with its own error, after the time set")
    func receiveTimeout() throws {
        let (sender, receiver) = makeSocketPair()
        try receiver.setReceiveTimeout(seconds: 0.05)
        let started = ContinuousClock.now
        // The sender stays open and silent, so recv has nothing to return and no end to report.
        #expect(throws: SocketError.timedOut(call: "recv(16)")) {
            try receiver.receive(upTo: 16)
        }
        let waited = ContinuousClock.now - started
        sender.close()
        #expect(waited >= .milliseconds(40) && waited < .seconds(5))
    }

    @Test("sending to a closed peer fails with EPIPE instead of killing the process")
    func noSigpipe() throws {
        let (sender, receiver) = makeSocketPair()
        receiver.close()
        #expect(throws: SocketError.failed(call: "send", address: nil, errno: EPIPE)) {
            try sender.sendAll("anyone there?")
        }
    }
}
