import Foundation
import Testing

@testable import NetUtil

@Suite("Frames on a socket")
struct FrameSocketTests {
    @Test("sendFrame hands the length, header and body to a single sendmsg call")
    func oneGatherWrite() throws {
        let (socket, _) = makeSocketPair()
        let frame = Frame(body: bytes("body"))
        var calls: [[Int]] = []
        let sent = try socket.sendAll(gathering: frame.prefix, frame.body) { vectors in
            calls.append(vectors.map { $0.iov_len })
            return vectors.reduce(0) { $0 + $1.iov_len }
        }
        #expect(sent == frame.prefix.count + 4)
        #expect(calls == [[frame.prefix.count, 4]])
    }

    @Test("sendFrame keeps going after partial writes and EINTR, one byte per call")
    func partialGatherWrites() throws {
        let (socket, _) = makeSocketPair()
        let frame = Frame(body: bytes("partial"))
        var written: [UInt8] = []
        var calls = 0
        _ = try socket.sendAll(gathering: frame.prefix, frame.body) { vectors in
            calls += 1
            if calls == 3 {
                errno = EINTR
                return -1
            }
            written.append(vectors[0].iov_base!.load(as: UInt8.self))
            return 1
        }
        #expect(written == frame.prefix + frame.body)
    }

    @Test("receiveFrame returns one frame per call and keeps bytes read past it for the next")
    func neverMixesFrames() throws {
        let (sender, receiver) = makeSocketPair()
        let first = Frame(fields: ["n": .integer(1)], body: Array(repeating: 7, count: 3000))
        let second = Frame(fields: ["n": .integer(2)], body: bytes("next"))
        try sender.sendFrame(first)
        try sender.sendFrame(second)
        sender.close()
        var decoder = FrameDecoder(maximumBodySize: 1 << 20)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 65536) == first)
        // One recv took both frames from the kernel; the second waits in the decoder.
        #expect(try receiver.queuedByteCount() == 0)
        #expect(decoder.isBetweenFrames == false)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 1) == second)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 1) == nil)
    }

    @Test("with recv(1), receiveFrame takes exactly one frame's bytes from the kernel")
    func byteByByte() throws {
        let (sender, receiver) = makeSocketPair()
        let first = Frame(body: bytes("first"))
        let second = Frame(body: bytes("second"))
        try sender.sendFrame(first)
        try sender.sendFrame(second)
        var decoder = FrameDecoder(maximumBodySize: 100)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 1) == first)
        #expect(try receiver.queuedByteCount() == second.prefix.count + second.body.count)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 1) == second)
    }

    @Test("a large body is received straight into its buffer, never asking for more than it lacks")
    func largeBodyDirect() throws {
        let (sender, receiver) = makeSocketPair()
        let big = Frame(body: (0..<300_000).map { UInt8(truncatingIfNeeded: $0) })
        let next = Frame(body: bytes("after"))
        Thread.detachNewThread {
            _ = try? sender.sendFrame(big)
            _ = try? sender.sendFrame(next)
        }
        var decoder = FrameDecoder(maximumBodySize: 1 << 20)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 65536) == big)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 65536) == next)
    }

    @Test("receiveFrame reports a peer that hangs up inside a frame")
    func hangUpPartWay() throws {
        let (sender, receiver) = makeSocketPair()
        let frame = Frame(body: bytes("hello"))
        try sender.sendAll(frame.prefix + bytes("he"))
        sender.close()
        var decoder = FrameDecoder(maximumBodySize: 100)
        #expect(throws: FrameError.endedPartWay(part: .body, received: 2, expected: 5)) {
            try receiver.receiveFrame(&decoder, recvSize: 1024)
        }
    }
}
