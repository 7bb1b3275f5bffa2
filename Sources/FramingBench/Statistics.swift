import NetUtil

#if canImport(Glibc)
    import GlibcExtras
#endif

/// Median, minimum and maximum of repeated measurements.
public struct Spread: Sendable, Equatable {
    public let median: Double
    public let min: Double
    public let max: Double

    /// The spread of `values`; the median of an even count is the mean of the middle two.
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "no measurements")
        let sorted = values.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }
}

/// The value below which `fraction` of `sorted` lies (nearest rank).
public func percentile(_ sorted: [Duration], _ fraction: Double) -> Duration {
    precondition(!sorted.isEmpty, "no measurements")
    let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
    return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank))]
}

/// Megabytes (10^6 bytes) per second.
public func megabytesPerSecond(bytes: Int, in duration: Duration) -> Double {
    Double(bytes) / 1e6 / seconds(of: duration)
}

/// A duration as a floating-point number of seconds.
public func seconds(of duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// A duration in whole microseconds.
public func microseconds(of duration: Duration) -> Int {
    Int(seconds(of: duration) * 1e6)
}

/// The most memory this process has had resident at once, in bytes.
///
/// The corresponding C function is `getrusage(2)`.
public func peakResidentBytes() -> Int {
    var usage = rusage()
    #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)  // bytes on macOS
    #else
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
    #endif
}

/// Keeps this process, and every thread and child it starts from now on, on CPU 0.
/// Returns false where that is not possible (macOS has no such call).
///
/// The corresponding C function is `sched_setaffinity(2)`.
public func pinToOneCPU() -> Bool {
    #if canImport(Glibc)
        guard let setAffinity = GlibcExtras.setAffinity else { return false }
        var set = cpu_set_t()
        withUnsafeMutableBytes(of: &set) { $0[0] = 1 }  // CPU_SET(0, &set)
        return setAffinity(0, MemoryLayout<cpu_set_t>.size, &set) == 0
    #else
        return false
    #endif
}
