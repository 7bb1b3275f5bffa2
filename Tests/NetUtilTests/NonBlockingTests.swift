import TestThreads
import Testing

@testable import NetUtil

@Suite("Non-blocking sockets: frames in pieces, answers in a queue", .mayBlock)
struct NonBlockingTests {
    @Test(
        "IncomingFrames assembles a frame that arrives one byte per recv and keeps the next frame's bytes"
    )
    func framesAcrossReceives() throws {
        let (server, client) = makeSocketPair()
        try server.makeNonBlocking()
        var incoming = IncomingFrames(maximumBodySize: 1000)
        #expect(try incoming.receive(from: server, upTo: 16) == .wouldBlock)
        let first = Frame(body: bytes("echo one"))
        let second = Frame(body: bytes("echo two"))
        let wire = first.prefix + first.body
        for byte in wire.dropLast() {
            try client.sendAll([byte])
            #expect(try incoming.receive(from: server, upTo: 16) == .bytes(1))
            #expect(try incoming.nextFrame() == nil)
        }
        // The last byte of the first frame arrives with all of the second.
        try client.sendAll([wire.last!] + second.prefix + second.body)
        #expect(try incoming.receive(from: server, upTo: 4096) == .bytes(1 + wire.count))
        #expect(try incoming.nextFrame()?.body == bytes("echo one"))
        #expect(try incoming.nextFrame()?.body == bytes("echo two"))
        #expect(try incoming.nextFrame() == nil)
        #expect(incoming.isBetweenFrames)
        client.close()
        #expect(try incoming.receive(from: server, upTo: 16) == .closed)
    }

    @Test("a peer that closes half-way through a frame is a FrameError, not a clean end")
    func endPartWay() throws {
        let (server, client) = makeSocketPair()
        try server.makeNonBlocking()
        var incoming = IncomingFrames(maximumBodySize: 1000)
        try client.sendAll(Array(Frame(body: bytes("echo")).prefix.prefix(6)))
        client.close()
        #expect(try incoming.receive(from: server, upTo: 16) == .bytes(6))
        #expect(try incoming.nextFrame() == nil)
        #expect(throws: FrameError.self) { try incoming.receive(from: server, upTo: 16) }
    }

    @Test(
        "OutputQueue sends what the kernel takes, keeps the rest after EAGAIN, and delivers it all in order"
    )
    func queueAcrossEAGAIN() throws {
        let (server, client) = makeSocketPair()
        try server.makeNonBlocking()
        try client.setReceiveTimeout(seconds: 5)  // a lost byte fails the test, not hangs it
        var queue = OutputQueue()
        let frame = Frame(body: (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        queue.append(frame)
        let first = try queue.flush(to: server)
        #expect(first.blocked)
        #expect(first.sent > 0 && first.sent < frame.prefix.count + frame.body.count)
        #expect(queue.count == frame.prefix.count + frame.body.count - first.sent)
        var received: [UInt8] = []
        var decoder = FrameDecoder(maximumBodySize: 8 << 20)
        while !queue.isEmpty {
            received += try client.receive(upTo: 1 << 20)
            _ = try queue.flush(to: server)
        }
        let rest = frame.prefix.count + frame.body.count - received.count
        if rest > 0 { received += try #require(try client.receiveExactly(rest)) }
        #expect(try decoder.feed(received) == [frame])
    }

    @Test("a stop signal becomes a readable byte in the pipe, and the process goes on")
    func stopSignalPipe() throws {
        let pipe = try StopSignalPipe.install()
        #expect(pipe.receivedSignal() == nil)
        kill(getpid(), SIGTERM)
        var entry = [pollfd(fd: pipe.descriptor, events: Int16(POLLIN), revents: 0)]
        #expect(try waitForReadiness(&entry, milliseconds: 5000) == 1)
        #expect(pipe.receivedSignal() == SIGTERM)
        #expect(fcntl(pipe.descriptor, F_GETFD) & FD_CLOEXEC != 0)
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
    }
}
