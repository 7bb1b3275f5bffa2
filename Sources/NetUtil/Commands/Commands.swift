/// The commands a lesson server answers for its clients, written here in
/// Swift: no shell runs, no program is started, no file is read.
///
/// The tutorial hands each command line to a shell. That lets anyone who can
/// reach the port run anything the server's user may run. A list of allowed
/// programs does not fix it either: every argument of every allowed program
/// is attack surface (GNU `date -f FILE` prints the lines of any file it can
/// read). So the server implements its few commands itself, and each one's
/// cost is known before it starts.
///
/// Every answer is bounded: at most `answerSizeLimit` bytes, and the work to
/// make it grows with its size only, so one request costs at most a few
/// megabytes and a fraction of a second.
public let commandNames = ["echo", "help", "repeat", "seq", "time", "upper"]

/// The largest answer any command gives: 8 MiB, enough for `seq 1 1000000`
/// (6,888,896 bytes). A command whose answer would be larger fails instead.
public let answerSizeLimit = 8 << 20

/// What a command printed, and its exit status as a shell would report it:
/// 0 done, 1 bad arguments or an answer over the limit, 127 no such command.
public struct Answer: Sendable, Equatable {
    public var status: Int32
    public var output: [UInt8]

    public init(status: Int32, output: [UInt8]) {
        self.status = status
        self.output = output
    }
}

/// Answers one command line: its first word names the command, and the
/// words after it, split on spaces, tabs and line ends, are its arguments. The bytes
/// need not be UTF-8; `echo` gives back what it got.
public func answer(to command: [UInt8]) -> Answer {
    let words = command.split(whereSeparator: isSpace).map { Array($0) }
    guard let name = words.first else { return unknownCommand("an empty line") }
    let arguments = Array(words.dropFirst())
    switch String(decoding: name, as: UTF8.self) {
    case "echo": return Answer(status: 0, output: joined(arguments) + [newline])
    case "upper": return Answer(status: 0, output: joined(arguments).map(upperCased) + [newline])
    case "seq": return seq(arguments)
    case "repeat": return repeatLines(arguments)
    case "time": return arguments.isEmpty ? Answer(status: 0, output: clockLine()) : usage("time")
    case "help": return Answer(status: 0, output: Array(helpText.utf8))
    default: return unknownCommand(quoted(name, limit: 32))
    }
}

/// One line per command, as `help` prints them.
private let usages = [
    ("echo WORDS", "the words, one space apart"),
    ("help", "this list"),
    ("repeat COUNT WORDS", "COUNT lines, each the words"),
    ("seq [FIRST [STEP]] LAST", "whole numbers from FIRST (1) to LAST, STEP (1) apart"),
    ("time", "the server's clock, in UTC"),
    ("upper WORDS", "the words in capital letters"),
]

private let helpText = usages.map { usage, meaning in
    usage + String(repeating: " ", count: 25 - usage.count) + meaning + "\n"
}.joined()

/// Exit status 127, as a shell gives for "command not found", naming the commands there are.
private func unknownCommand(_ what: String) -> Answer {
    let list = commandNames.joined(separator: ", ")
    return failure(127, "\(what) is not a command here; the commands are: \(list)")
}

/// Exit status 1 and the command's usage line.
private func usage(_ name: String) -> Answer {
    let line = usages.first { $0.0.split(separator: " ").first.map(String.init) == name }!
    return failure(1, "usage: \(line.0)")
}

private func failure(_ status: Int32, _ line: String) -> Answer {
    Answer(status: status, output: Array((line + "\n").utf8))
}

private func tooLarge(_ name: String) -> Answer {
    failure(
        1, "\(name): the answer would be over \(byteCount(answerSizeLimit)), the most it may be")
}

/// `seq LAST`, `seq FIRST LAST` or `seq FIRST STEP LAST`, with the same
/// output as coreutils `seq` for whole numbers: nothing when LAST comes
/// before FIRST. It stops with an error once the answer passes the limit.
private func seq(_ arguments: [[UInt8]]) -> Answer {
    let numbers = arguments.map(wholeNumber)
    guard (1...3).contains(numbers.count), let last = numbers.last!,
        let first = numbers.count > 1 ? numbers[0] : 1,
        let step = numbers.count == 3 ? numbers[1] : 1, step != 0
    else { return usage("seq") }
    // Room for the largest answer at once, so the array never grows by
    // copying itself: growing would hold the old and the new copy together.
    var output: [UInt8] = []
    output.reserveCapacity(answerSizeLimit + 21)
    var value = first
    while step > 0 ? value <= last : value >= last {
        output.append(contentsOf: String(value).utf8)
        output.append(newline)
        if output.count > answerSizeLimit { return tooLarge("seq") }
        let (next, overflow) = value.addingReportingOverflow(step)
        if overflow { break }
        value = next
    }
    return Answer(status: 0, output: output)
}

/// `repeat COUNT WORDS`: the size is worked out, and checked, before any byte is made.
private func repeatLines(_ arguments: [[UInt8]]) -> Answer {
    guard arguments.count >= 2, let count = wholeNumber(arguments[0]), count >= 0 else {
        return usage("repeat")
    }
    let line = joined(Array(arguments.dropFirst())) + [newline]
    let (size, overflow) = count.multipliedReportingOverflow(by: line.count)
    if overflow || size > answerSizeLimit { return tooLarge("repeat") }
    // One buffer of exactly the final size, filled by doubling: each copy
    // takes everything made so far, about 20 copies for 8 MiB.
    let output = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        guard let start = UnsafeMutableRawPointer(buffer.baseAddress), size > 0 else { return }
        line.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: line.count) }
        var filled = line.count
        while filled < size {
            let chunk = min(filled, size - filled)
            (start + filled).copyMemory(from: start, byteCount: chunk)
            filled += chunk
        }
        initialized = size
    }
    return Answer(status: 0, output: output)
}

/// `2026-11-27 21:40:05 UTC`, from `time(2)` and `gmtime_r(3)`.
private func clockLine() -> [UInt8] {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    let fields = [parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec]
    let twoDigits = fields.map { $0 < 10 ? "0\($0)" : "\($0)" }
    let date = "\(parts.tm_year + 1900)-\(twoDigits[0])-\(twoDigits[1])"
    return Array("\(date) \(twoDigits[2]):\(twoDigits[3]):\(twoDigits[4]) UTC\n".utf8)
}

/// A whole number written in ASCII digits, with an optional sign; nil for
/// anything else, or one too large for an `Int`.
private func wholeNumber(_ word: [UInt8]) -> Int? {
    Int(String(decoding: word, as: UTF8.self), radix: 10)
}

private func joined(_ words: [[UInt8]]) -> [UInt8] {
    Array(words.joined(separator: [UInt8(ascii: " ")]))
}

private func isSpace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == newline
        || byte == UInt8(ascii: "\r")
}

private func upperCased(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
}

private let newline = UInt8(ascii: "\n")
