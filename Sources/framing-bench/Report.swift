import FramingBench
import NetUtil

/// The results, as a table for people or JSON lines for scripts.
struct Report {
    let settings: BenchSettings
    let bulk: [BulkResult]
    let roundTrips: [RoundTripResult]
    let peakMemory: Int
    /// The peak after the streamed variant, measured before any other ran.
    let streamedPeakMemory: Int

    func tableLines() -> [String] {
        var lines = ["bulk: one message, MB/s (10^6 bytes), median of \(settings.runs) runs"]
        lines.append(row(["variant", "size", "median", "min", "max"]))
        for result in bulk {
            let speed = result.speed
            lines.append(
                row([
                    result.variant.rawValue, mebibytes(result.size), fixed(speed.median),
                    fixed(speed.min), fixed(speed.max),
                ]))
        }
        lines.append("")
        lines.append("round trips: 100-byte bodies, up to \(settings.count) per run")
        lines.append(row(["variant", "count", "rt/s", "p50 us", "p99 us", "over 30 ms"]))
        for result in roundTrips {
            lines.append(
                row([
                    result.variant.rawValue, "\(result.count)", fixed(result.rate.median),
                    "\(microseconds(of: result.p50))", "\(microseconds(of: result.p99))",
                    "\(result.over30ms)",
                ]))
        }
        lines.append("")
        lines.append(
            "receiver peak memory: \(mebibytes(peakMemory)) for a \(mebibytes(settings.size)) body,"
                + " \(mebibytes(streamedPeakMemory)) after streamed alone")
        lines.append(
            settings.pin
                ? "both ends pinned to CPU 0" : "not pinned: the scheduler places both ends")
        lines.append("")
        lines += targetLines()
        return lines
    }

    /// The targets, each as a ratio within this run.
    func targetLines() -> [String] {
        func find(_ variant: Variant) -> BulkResult? { bulk.first { $0.variant == variant } }
        func trips(_ variant: Variant) -> RoundTripResult? {
            roundTrips.first { $0.variant == variant }
        }
        guard let raw = find(.raw), let framed = find(.framed), let streamed = find(.streamed),
            let rawTrips = trips(.raw),
            let framedTrips = trips(.framed), let tutorialTrips = trips(.tutorial)
        else { return [] }
        let bulkRatio = framed.speed.median / raw.speed.median
        let streamedRatio = streamed.speed.median / raw.speed.median
        let tripRatio = framedTrips.rate.median / rawTrips.rate.median
        let warning = schedulerWarning(
            raw: rawTrips.rate, framed: framedTrips.rate, pinned: settings.pin)
        return (warning.map { [$0] } ?? []) + [
            check(
                "framed bulk \(twoDecimals(bulkRatio)) x raw (target >= 0.90)", bulkRatio >= 0.90),
            check(
                "streamed bulk \(twoDecimals(streamedRatio)) x raw (target >= 0.90)",
                streamedRatio >= 0.90),
            check(
                "framed round trips \(twoDecimals(tripRatio)) x raw (target >= 0.85)",
                tripRatio >= 0.85),
            check(
                "framed p99 \(microseconds(of: framedTrips.p99)) us (target < 1000)",
                framedTrips.p99 < .milliseconds(1)),
            check(
                "framed round trips over 30 ms: \(framedTrips.over30ms) (target 0)",
                framedTrips.over30ms == 0),
            check(
                "receiver peak \(mebibytes(peakMemory)) (target <= body + 16 MiB)",
                peakMemory <= settings.size + 16 << 20),
            check(
                "streamed peak \(mebibytes(streamedPeakMemory)) (target <= 16 MiB, any body size)",
                streamedPeakMemory <= 16 << 20),
            check(
                "tutorial round trips over 30 ms: \(tutorialTrips.over30ms) of \(tutorialTrips.count) (expected: most)",
                tutorialTrips.over30ms * 2 > tutorialTrips.count),
        ]
    }

    func jsonLines() -> [String] {
        var lines = bulk.map { result in
            json([
                ("work", "\"bulk\""), ("variant", "\"\(result.variant.rawValue)\""),
                ("size", "\(result.size)"),
                ("median", fixed(result.speed.median)), ("min", fixed(result.speed.min)),
                ("max", fixed(result.speed.max)), ("unit", "\"MB/s\""),
            ])
        }
        lines += roundTrips.map { result in
            json([
                ("work", "\"roundtrip\""), ("variant", "\"\(result.variant.rawValue)\""),
                ("size", "100"),
                ("median", fixed(result.rate.median)), ("min", fixed(result.rate.min)),
                ("max", fixed(result.rate.max)), ("unit", "\"rt/s\""),
                ("p50_us", "\(microseconds(of: result.p50))"),
                ("p99_us", "\(microseconds(of: result.p99))"),
                ("over_30ms", "\(result.over30ms)"), ("count", "\(result.count)"),
            ])
        }
        lines.append(
            json([
                ("work", "\"memory\""), ("peak_rss_bytes", "\(peakMemory)"),
                ("streamed_peak_rss_bytes", "\(streamedPeakMemory)"),
            ]))
        return lines
    }
}

/// One JSON object from keys and already-encoded values.
func json(_ fields: [(String, String)]) -> String {
    "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
}

/// Columns padded to a common width.
func row(_ cells: [String]) -> String {
    cells.map { $0.count >= 12 ? $0 + " " : $0 + String(repeating: " ", count: 12 - $0.count) }
        .joined().trimmingSuffix()
}

func check(_ text: String, _ met: Bool) -> String {
    (met ? "met:    " : "missed: ") + text
}

/// A number with one decimal, without Foundation's formatters.
func fixed(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}

/// A ratio with two decimals, so 0.86 and 0.84 do not both print as 0.9.
func twoDecimals(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = abs(hundredths % 100)
    return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
}

func mebibytes(_ bytes: Int) -> String {
    fixed(Double(bytes) / Double(1 << 20)) + " MiB"
}

extension String {
    fileprivate func trimmingSuffix() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
