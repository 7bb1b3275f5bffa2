/// A time by which a whole piece of input must be in: a frame, a header,
/// 256 KiB of a body. A receive timeout alone bounds each `recv`, so a client
/// sending one byte just before each timeout would never be let go.
public struct Deadline: Sendable {
    /// What must arrive, for the error: "a frame", "the request header".
    public let what: String
    public let seconds: Double
    let end: ContinuousClock.Instant

    /// A deadline `seconds` from now.
    public init(_ what: String, seconds: Double) {
        self.what = what
        self.seconds = seconds
        end = .now + .seconds(seconds)
    }
}

extension Socket {
    /// One receive call, as `receiveCall`, that may wait only until `deadline`:
    /// the receive timeout is set to the time left first (at least 1 µs,
    /// never 0, which would mean no limit). Throws `SocketError.tooSlow` once
    /// the deadline has passed, whether before the call or during it.
    func receiveCall(
        _ call: @autoclosure () -> String, by deadline: Deadline?, _ body: () -> Int
    ) throws(SocketError) -> Int {
        guard let deadline else { return try receiveCall(call(), body) }
        let left = ContinuousClock.now.duration(to: deadline.end)
        let tooSlow = SocketError.tooSlow(what: deadline.what, seconds: deadline.seconds)
        guard left > .zero else { throw tooSlow }
        let (whole, attoseconds) = left.components
        try setReceiveTimeout(seconds: Double(whole) + Double(attoseconds) / 1e18)
        do {
            return try receiveCall(call(), body)
        } catch .timedOut {
            throw tooSlow
        }
    }
}
