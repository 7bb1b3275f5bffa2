import FramingBench

/// The benchmark's command line.
struct BenchSettings {
    var size = 256 << 20
    var tutorialSize = 1 << 20
    var count = 20_000
    var runs = 5
    var pin = false
    var json = false
    var help = false

    static let usage = """
        framing-bench: measures raw, framed, streamed and tutorial-style transfers over loopback

        usage: framing-bench [--size BYTES] [--count N] [--runs N] [--pin] [--json]

          --size BYTES   bulk body size, 1 to 4G (default 268435456, 256 MiB); K, M, G suffixes
                         work; the tutorial-style variant uses 1 MiB at most: its copying is quadratic
          --count N      round trips per run, 100-byte bodies, 1 to 1000000 (default 20000)
          --runs N       runs per variant, 1 to 100; the median is reported (default 5)
          --pin          run both ends on CPU 0 (sched_setaffinity)
          --json         one JSON object per line instead of a table
          --help         show this help
        """

    init(_ arguments: [String]) throws(SettingsError) {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--pin": pin = true
            case "--json": json = true
            case "--help", "-h": help = true
            case "--size", "--count", "--runs":
                let range = Self.ranges[argument]!
                guard let text = remaining.popFirst(), let value = Self.number(text),
                    range.contains(value)
                else {
                    throw .outOfRange(argument, range)
                }
                if argument == "--size" { size = value }
                if argument == "--count" { count = value }
                if argument == "--runs" { runs = value }
            default: throw .unknown(argument)
            }
        }
        tutorialSize = min(tutorialSize, size)
    }

    /// What each number may be: what the bench can allocate, and finish, on a laptop.
    static let ranges: [String: ClosedRange<Int>] = [
        "--size": 1...(4 << 30), "--count": 1...1_000_000, "--runs": 1...100,
    ]

    /// `1048576`, `1024K`, `1M` or `1G`; nil if it is not a number or would overflow.
    static func number(_ text: String) -> Int? {
        let scales: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let scale = scales[last] {
            guard let value = Int(text.dropLast()) else { return nil }
            let (scaled, overflow) = value.multipliedReportingOverflow(by: scale)
            return overflow ? nil : scaled
        }
        return Int(text)
    }
}

enum SettingsError: Error, CustomStringConvertible {
    case unknown(String)
    case malformed(String)
    case outOfRange(String, ClosedRange<Int>)

    var description: String {
        switch self {
        case .unknown(let flag): "unknown flag \"\(flag)\" (try --help)"
        case .malformed(let flag): "\(flag) needs a positive number"
        case .outOfRange(let flag, let range):
            "\(flag) needs a whole number from \(range.lowerBound) to \(range.upperBound)"
        }
    }
}
