import Foundation
import TestThreads
import Testing

@testable import NetUtil

@Suite("Frames on a socket", .mayBlock)
struct FrameSocketTests {
    @Test("sendFrame hands the length, header and body to a single sendmsg call")
    func oneGatherWrite() throws {
        // A datagram socket keeps the boundary of every send call: one sendmsg
        // is one datagram, and one recv returns exactly one datagram. Three
        // sends would come out as three receives (the length alone first).
        let (sender, receiver) = makeSocketPair(type: datagramSocketType)
        let frame = Frame(fields: ["n": .integer(1)], body: bytes("body"))
        #expect(try sender.sendFrame(frame) == frame.prefix.count + 4)
        #expect(try receiver.receive(upTo: 65536) == frame.prefix + frame.body)
        #expect(try receiver.queuedByteCount() == 0)
    }

    @Test("sendFrame keeps going after partial writes and EINTR, one byte per call")
    func partialGatherWrites() throws {
        let (socket, _) = makeSocketPair()
        let frame = Frame(body: bytes("partial"))
        var written: [UInt8] = []
        var calls = 0
        _ = try socket.sendAll(gathering: frame.header.json, frame.body, lengthFirst: true) {
            vectors in
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
        let big = Frame(body: (0..<20_000).map { UInt8(truncatingIfNeeded: $0) })
        let next = Frame(body: bytes("after"))
        // Room for both (macOS gives a socket pair only 8 KiB by default).
        var room: Int32 = 1 << 17
        _ = setsockopt(
            sender.descriptor, SOL_SOCKET, SO_SNDBUF, &room, socklen_t(MemoryLayout<Int32>.size))
        // Both frames wait in the kernel before the first recv.
        try sender.sendFrame(big)
        try sender.sendFrame(next)
        let nextSize = next.prefix.count + next.body.count
        #expect(try receiver.queuedByteCount() == big.prefix.count + big.body.count + nextSize)
        var decoder = FrameDecoder(maximumBodySize: 1 << 20)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 4096) == big)
        // The body's last recv asked only for what it lacked: a read-ahead of
        // 4096 bytes would have taken the next frame out of the kernel too.
        #expect(try receiver.queuedByteCount() == nextSize)
        let nothingReadAhead = decoder.isBetweenFrames
        #expect(nothingReadAhead)
        #expect(try receiver.receiveFrame(&decoder, recvSize: 4096) == next)
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
