import NetUtil

/// One bulk variant's throughput over several runs.
public struct BulkResult: Sendable {
    public let variant: Variant
    public let size: Int
    /// Megabytes (10^6 bytes) per second.
    public let speed: Spread
}

/// One round-trip variant's rate and latencies.
public struct RoundTripResult: Sendable {
    public let variant: Variant
    /// How many exchanges the last run made.
    public let count: Int
    /// Round trips per second.
    public let rate: Spread
    public let p50: Duration
    public let p99: Duration
    /// Exchanges that took over 30 ms: the Nagle and delayed-ACK stall.
    public let over30ms: Int
}

/// Receives `runs` messages of `size` bytes, one per connection accepted on
/// `listener`, and times each from `accept` to the last byte. Each body is
/// checked against the pattern of `benchBody`.
public func measureBulk(
    _ variant: Variant, size: Int, runs: Int, listener: TCPListener
) throws -> BulkResult {
    var speeds: [Double] = []
    var piece = [UInt8](repeating: 0, count: rawChunk)  // the streamed variant's only buffer
    for _ in 0..<runs {
        let (socket, _) = try listener.accept()
        let connection = BenchConnection(socket)
        let started = ContinuousClock.now
        let intact: Bool
        let took: Duration
        if variant == .streamed {
            // Not held, so not checked whole: each piece's first and last byte
            // must sit where the pattern puts them, which a lost, repeated or
            // misplaced piece breaks, without a second pass over 256 MiB.
            var inPlace = true
            let count = try piece.withUnsafeMutableBytes { buffer in
                try receiveStreamed(over: socket, through: buffer) { piece, offset in
                    inPlace = inPlace && isBenchPiece(piece, at: offset)
                }
            }
            took = ContinuousClock.now - started
            intact = count == size && inPlace
        } else {
            let body = try receiveMessage(over: connection, as: variant, size: size)
            took = ContinuousClock.now - started
            intact = body.count == size && isBenchBody(body)
        }
        guard intact else { throw BenchError.badHeader("\(variant) delivered a different body") }
        speeds.append(megabytesPerSecond(bytes: size, in: took))
    }
    return BulkResult(variant: variant, size: size, speed: Spread(speeds))
}

/// Makes `count` exchanges of `size`-byte bodies on `connection`, in `runs`
/// runs, or fewer if `budget` runs out first (for the tutorial's stalls).
public func measureRoundTrips(
    _ variant: Variant, size: Int, count: Int, runs: Int, budget: Duration,
    over connection: BenchConnection
) throws -> RoundTripResult {
    let body = benchBody(size: size)
    let deadline = ContinuousClock.now + budget
    var latencies: [Duration] = []
    var rates: [Double] = []
    var done = 0
    for _ in 0..<runs where ContinuousClock.now < deadline {
        let started = ContinuousClock.now
        done = 0
        while done < count, ContinuousClock.now < deadline {
            latencies.append(try roundTrip(body, over: connection, as: variant))
            done += 1
        }
        if done > 0 { rates.append(Double(done) / seconds(of: ContinuousClock.now - started)) }
    }
    guard !latencies.isEmpty else { throw BenchError.badHeader("no round trip finished in time") }
    let sorted = latencies.sorted()
    return RoundTripResult(
        variant: variant, count: done, rate: Spread(rates),
        p50: percentile(sorted, 0.50), p99: percentile(sorted, 0.99),
        over30ms: sorted.filter { $0 > .milliseconds(30) }.count)
}

/// The body every variant sends: a pattern, so a byte out of place shows.
public func benchBody(size: Int) -> [UInt8] {
    (0..<size).map(patternByte)
}

/// Whether `bytes` is `benchBody(size: bytes.count)`, checked without making
/// a second copy (which would double the receiver's memory).
public func isBenchBody(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
        buffer.indices.allSatisfy { buffer[$0] == patternByte($0) }
    }
}

/// Whether `piece`, found at `offset` in a body, starts and ends with the
/// bytes `benchBody` has there.
public func isBenchPiece(_ piece: UnsafeRawBufferPointer, at offset: Int) -> Bool {
    piece.isEmpty
        || (piece[0] == patternByte(offset)
            && piece[piece.count - 1] == patternByte(offset + piece.count - 1))
}

private func patternByte(_ index: Int) -> UInt8 {
    UInt8(truncatingIfNeeded: index &* 7 &+ index >> 8)
}
