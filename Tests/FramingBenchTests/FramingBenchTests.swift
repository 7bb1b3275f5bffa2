import Foundation
import FramingBench
import NetUtil
import TestThreads
import Testing

/// A connected pair over loopback TCP, so TCP_NODELAY and real segments apply.
func loopbackPair() throws -> (Socket, Socket) {
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    let (client, _) = try connectTCP(host: "127.0.0.1", port: listener.address.port)
    let (server, _) = try listener.accept()
    for socket in [client, server] { try socket.setReceiveTimeout(seconds: 10) }
    return (client, server)
}

@Suite("framing-bench's measuring functions", .mayBlock)
struct FramingBenchTests {
    @Test(
        "every variant delivers the body intact: same bytes, same count",
        arguments: Variant.allCases, [0, 1, 100, 70_000, 1 << 20])
    func bulkIntact(variant: Variant, size: Int) throws {
        let (sender, receiver) = try loopbackPair()
        let body = benchBody(size: size)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? sendMessage(body, over: BenchConnection(sender), as: variant)
            done.signal()
        }
        let received = try receiveMessage(over: BenchConnection(receiver), as: variant, size: size)
        #expect(received.count == size)
        #expect(received == body)
        #expect(isBenchBody(received))
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test("the body check notices a single byte out of place")
    func bodyCheck() {
        var body = benchBody(size: 1000)
        #expect(isBenchBody(body))
        body[999] &+= 1
        #expect(!isBenchBody(body))
    }

    @Test(
        "round trips echo each message and count every exchange", arguments: [Variant.raw, .framed])
    func roundTrips(variant: Variant) throws {
        let (asker, answerer) = try loopbackPair()
        if variant == .raw { try disableNagle(on: asker) }
        Thread.detachNewThread {
            try? echoMessages(over: BenchConnection(answerer), as: variant, size: 100)
            answerer.close()
        }
        let result = try measureRoundTrips(
            variant, size: 100, count: 50, runs: 2, budget: .seconds(20),
            over: BenchConnection(asker))
        #expect(result.count == 50)
        #expect(result.rate.median > 0)
        #expect(result.p50 <= result.p99)
        asker.close()
    }

    @Test("bulk measurement times each accepted transfer and checks its content")
    func bulkMeasurement() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.address.port
        Thread.detachNewThread {
            let body = benchBody(size: 50_000)
            for _ in 0..<3 {
                guard let (connection, _) = try? connectTCP(host: "127.0.0.1", port: port) else {
                    return
                }
                try? sendMessage(body, over: BenchConnection(connection), as: .framed)
            }
        }
        let result = try measureBulk(.framed, size: 50_000, runs: 3, listener: listener)
        #expect(result.size == 50_000)
        #expect(result.speed.min > 0 && result.speed.min <= result.speed.median)
    }

    @Test("the streamed receiver passes the body through one fixed buffer, 256 KiB at a time")
    func streamedThroughOneBuffer() throws {
        let (sender, receiver) = try loopbackPair()
        let size = (1 << 20) + 1
        Thread.detachNewThread {
            try? sendMessage(benchBody(size: size), over: BenchConnection(sender), as: .framed)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 8)
        defer { buffer.deallocate() }
        var next = 0
        var elsewhere = 0
        var body: [UInt8] = []
        let count = try receiveStreamed(over: receiver, through: buffer) { piece, offset in
            if piece.baseAddress != UnsafeRawPointer(buffer.baseAddress) { elsewhere += 1 }
            #expect(offset == next && piece.count <= 256 << 10)
            next += piece.count
            body += piece
        }
        #expect(count == size && next == size && elsewhere == 0)
        #expect(body == benchBody(size: size))
    }

    @Test("the streamed check notices a piece that is not where the pattern puts it")
    func streamedPieceCheck() {
        let body = benchBody(size: 70_000)
        body.withUnsafeBytes { bytes in
            let piece = UnsafeRawBufferPointer(rebasing: bytes[1000..<66_000])
            #expect(isBenchPiece(piece, at: 1000))
            #expect(!isBenchPiece(piece, at: 1001))
            #expect(!isBenchPiece(piece, at: 999))
        }
        // Right start, one byte lost on the way: the end no longer matches.
        var lossy = Array(body[1000..<1300])
        lossy.remove(at: 150)
        lossy.append(body[1300])
        lossy.withUnsafeBytes { #expect(!isBenchPiece($0, at: 1000)) }
    }

    @Test("medians, extremes and percentiles are computed as defined")
    func statistics() {
        #expect(Spread([3, 1, 2]) == Spread([2, 3, 1]))
        #expect(Spread([3, 1, 2]).median == 2)
        #expect(Spread([4, 1, 2, 3]).median == 2.5)
        #expect(Spread([4, 1, 2, 3]).min == 1 && Spread([4, 1, 2, 3]).max == 4)
        let latencies = (1...100).map { Duration.milliseconds($0) }
        #expect(percentile(latencies, 0.50) == .milliseconds(50))
        #expect(percentile(latencies, 0.99) == .milliseconds(99))
        #expect(megabytesPerSecond(bytes: 2_000_000, in: .seconds(2)) == 1)
    }
}

@Suite("Nagle's algorithm meets delayed ACK", .mayBlock)
struct NagleTests {
    /// Median latency of `count` exchanges of a 100-byte body.
    func medianRoundTrip(_ variant: Variant, count: Int) throws -> Duration {
        let (asker, answerer) = try loopbackPair()
        Thread.detachNewThread {
            try? echoMessages(over: BenchConnection(answerer), as: variant, size: 100)
            answerer.close()
        }
        let result = try measureRoundTrips(
            variant, size: 100, count: count, runs: 1, budget: .seconds(20),
            over: BenchConnection(asker))
        asker.close()
        return result.p50
    }

    @Test("three small sends per message, without TCP_NODELAY, stall each round trip over 30 ms")
    func tutorialStalls() throws {
        #expect(try medianRoundTrip(.tutorial, count: 3) > .milliseconds(30))
    }

    @Test("one write per frame keeps a round trip far below the delayed-ACK timer")
    func framedDoesNotStall() throws {
        #expect(try medianRoundTrip(.framed, count: 20) < .milliseconds(30))
    }
}

@Suite("framing-bench's scheduler warning", .mayBlock)
struct SchedulerWarningTests {
    @Test(
        "an unpinned run whose raw round trips are slower than framed, or whose runs vary widely, is flagged with a pointer to --pin"
    )
    func warning() {
        let steady = Spread([100_000, 101_000, 102_000])
        let slowRaw = Spread([20_000, 21_000, 22_000])
        let framed = Spread([128_000, 130_000, 131_000])
        #expect(
            schedulerWarning(raw: slowRaw, framed: framed, pinned: false)
                == "warning: the round-trip figures are dominated by the scheduler "
                + "(raw round trips came out slower than framed ones); rerun with --pin to compare them"
        )
        #expect(
            schedulerWarning(
                raw: Spread([50_000, 100_000, 115_000]), framed: steady, pinned: false)
                == "warning: the round-trip figures are dominated by the scheduler "
                + "(raw runs differ by 2.3 x); rerun with --pin to compare them")
        // Framed a little slower than raw, steady runs: nothing to say.
        #expect(schedulerWarning(raw: framed, framed: steady, pinned: false) == nil)
        // Pinned, the figures are what they are.
        #expect(schedulerWarning(raw: slowRaw, framed: framed, pinned: true) == nil)
    }
}
