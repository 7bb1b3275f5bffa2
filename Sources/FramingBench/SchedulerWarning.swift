/// Says when an unpinned run's round-trip figures say more about the
/// scheduler than about framing, and what to do about it; nil when they
/// look trustworthy, or when both ends were pinned (`--pin`).
///
/// A framed round trip does everything a raw one does and more, so raw
/// coming out clearly slower (here, framed over 1.2 x raw) can only mean the
/// raw runs were disturbed: each end woken on another CPU, or pushed aside
/// by other work. Runs of one variant that differ by more than 1.5 x tell the
/// same story. Pinning both ends to one CPU takes the scheduler's choices
/// out of the measurement.
public func schedulerWarning(raw: Spread, framed: Spread, pinned: Bool) -> String? {
    if pinned { return nil }
    var reasons: [String] = []
    if framed.median > raw.median * 1.2 {
        reasons.append("raw round trips came out slower than framed ones")
    }
    for (name, spread) in [("raw", raw), ("framed", framed)] where spread.max > spread.min * 1.5 {
        reasons.append("\(name) runs differ by \(oneDecimal(spread.max / spread.min)) x")
    }
    guard !reasons.isEmpty else { return nil }
    return "warning: the round-trip figures are dominated by the scheduler ("
        + reasons.joined(separator: "; ") + "); rerun with --pin to compare them"
}

/// One decimal, without Foundation's formatters: `2.3`.
private func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
