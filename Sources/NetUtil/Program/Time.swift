/// A duration as seconds with two decimals, the way the lessons print it: `20.01 s`.
public func secondsText(_ duration: Duration) -> String {
    twoDecimals(duration, unitsPerSecond: 1) + " s"
}

/// A short duration as milliseconds with two decimals: `0.42 ms`.
public func millisecondsText(_ duration: Duration) -> String {
    twoDecimals(duration, unitsPerSecond: 1000) + " ms"
}

/// The duration in the given unit, rounded to hundredths, in integer
/// arithmetic (no Foundation formatter needed).
private func twoDecimals(_ duration: Duration, unitsPerSecond: Int64) -> String {
    let (whole, attoseconds) = duration.components
    let attosecondsPerHundredth = 10_000_000_000_000_000 / unitsPerSecond
    let hundredths =
        whole * 100 * unitsPerSecond
        + (attoseconds + attosecondsPerHundredth / 2) / attosecondsPerHundredth
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Sleeps for `seconds`; a lesson uses it to hold a connection open, never to wait for readiness.
///
/// The corresponding C function is `nanosleep(2)`.
public func sleep(seconds: Double) {
    let whole = seconds.rounded(.down)
    var wanted = timespec(tv_sec: .init(whole), tv_nsec: .init((seconds - whole) * 1_000_000_000))
    var left = timespec()
    // A signal cuts the sleep short; nanosleep reports what is left, so go on sleeping.
    while nanosleep(&wanted, &left) == -1 && errno == EINTR {
        wanted = left
    }
}
