import FramingBench
import LessonProcess
import NetUtil

/// Runs every measurement and prints the report.
func runBench(_ settings: BenchSettings) throws {
    if settings.pin && !pinToOneCPU() {
        throw SettingsError.malformed("--pin (sched_setaffinity is not available here)")
    }
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    // A peer that fails must not leave this side waiting for ever: accept
    // and recv give up after this long.
    try listener.socket.setReceiveTimeout(seconds: 60)
    let port = "\(listener.address.port)"

    // Streamed first: ru_maxrss only ever grows, so its peak must be read
    // before any variant holds a whole body.
    let streamed = try bulkRun(.streamed, size: settings.size, runs: settings.runs, port, listener)
    let streamedPeakMemory = peakResidentBytes()
    var bulk: [BulkResult] = []
    for variant in [Variant.raw, .framed] {
        bulk.append(try bulkRun(variant, size: settings.size, runs: settings.runs, port, listener))
    }
    bulk.append(streamed)
    // Measured before the tutorial-style run, whose copying would hide it.
    let peakMemory = peakResidentBytes()
    bulk.append(
        try bulkRun(.tutorial, size: settings.tutorialSize, runs: settings.runs, port, listener))

    var roundTrips: [RoundTripResult] = []
    for variant in [Variant.raw, .framed, .tutorial] {  // streamed: framed's bytes, for 100 bytes
        let peer = try LessonProcess(
            "framing-bench", arguments: ["--peer", "echo", variant.rawValue, port, "100"])
        let (connection, _) = try listener.accept()
        try connection.setReceiveTimeout(seconds: 60)
        if variant == .raw { try disableNagle(on: connection) }
        // The tutorial's pattern stalls on every exchange: give it a few seconds, not 20,000 stalls.
        let isTutorial = variant == .tutorial
        roundTrips.append(
            try measureRoundTrips(
                variant, size: 100, count: settings.count, runs: isTutorial ? 1 : settings.runs,
                budget: isTutorial ? .seconds(3) : .seconds(600), over: BenchConnection(connection))
        )
        connection.close()
        try expectClean(peer)
    }

    let report = Report(
        settings: settings, bulk: bulk, roundTrips: roundTrips, peakMemory: peakMemory,
        streamedPeakMemory: streamedPeakMemory)
    for line in settings.json ? report.jsonLines() : report.tableLines() {
        Output.line(line)
    }
}

/// Starts a sending peer and measures `runs` bulk transfers from it.
private func bulkRun(
    _ variant: Variant, size: Int, runs: Int, _ port: String, _ listener: TCPListener
) throws -> BulkResult {
    let peer = try LessonProcess(
        "framing-bench",
        arguments: ["--peer", "bulk", variant.rawValue, port, "\(size)", "\(runs)"])
    let result = try measureBulk(variant, size: size, runs: runs, listener: listener)
    try expectClean(peer)
    return result
}

/// Waits for a peer to exit and throws with its error line if it failed.
private func expectClean(_ peer: LessonProcess) throws {
    let end = try peer.finish(before: .now + .seconds(60))
    if end.status != 0 {
        throw BenchError.badHeader(end.errorLines.joined(separator: " "))
    }
}
