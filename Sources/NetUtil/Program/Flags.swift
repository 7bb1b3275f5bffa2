/// A flag a lesson takes besides `--host` and `--port`, such as `--hold SECONDS`.
///
/// Every number has a range that the program can honour, shown in `--help`.
/// Zero follows one rule in every program: it is accepted only where it can
/// mean "none" or "off", and then the flag says what it means (`zero:`),
/// and `--help` shows it; a flag with no meaning for zero refuses it.
public struct Flag: Sendable {
    /// What the value must look like; checked when the command line is read.
    public enum Kind: Sendable, Equatable {
        /// A number of seconds, fractions allowed: `0.5`. From `shortestSeconds` to
        /// `longestSeconds`, or 0 when the flag says what 0 means.
        case seconds
        /// A whole number up to `maximum`, from 1, or from 0 when the flag says what 0 means.
        case count(maximum: Int)
        /// One word out of a fixed list: `--reply upper`.
        case choice([String])
        /// On when given, off when not; it takes no value: `--connect`.
        case boolean
    }

    /// The shortest positive duration: 1 ms. The kernel's timers count in
    /// microseconds (`SO_RCVTIMEO` takes a `timeval`), so anything much
    /// shorter would round to 0, which there means "no timeout at all".
    public static let shortestSeconds = 0.001
    /// The longest duration: a day, far more than any lesson needs, and well
    /// within what `timeval`, `nanosleep` and `Int` can hold.
    public static let longestSeconds = 86_400.0

    let name: String
    let kind: Kind
    let defaultValue: String?
    /// What 0 means for this flag, such as "wait for ever"; nil when 0 is refused.
    let zeroMeaning: String?
    let help: String

    /// A duration in seconds; with no default, the flag is off unless given.
    /// With `zero`, 0 is accepted and means that.
    public static func seconds(
        _ name: String, default value: Double? = nil, zero: String? = nil, help: String
    ) -> Flag {
        Flag(
            name: name, kind: .seconds, defaultValue: value.map(plainNumber), zeroMeaning: zero,
            help: help)
    }

    /// A whole number from 1 to `maximum`, or from 0 when `zero` says what 0 means.
    public static func count(
        _ name: String, default value: Int, maximum: Int, zero: String? = nil, help: String
    ) -> Flag {
        Flag(
            name: name, kind: .count(maximum: maximum), defaultValue: "\(value)",
            zeroMeaning: zero, help: help)
    }

    /// One word of a fixed list, such as `--demo merge|spill`; with no
    /// default, the flag is off unless given.
    public static func choice(
        _ name: String, values: [String], default value: String? = nil, help: String
    ) -> Flag {
        Flag(name: name, kind: .choice(values), defaultValue: value, zeroMeaning: nil, help: help)
    }

    /// A switch: on when given (`--connect`), off when not.
    public static func boolean(_ name: String, help: String) -> Flag {
        Flag(name: name, kind: .boolean, defaultValue: nil, zeroMeaning: nil, help: help)
    }

    /// What `--help` shows after the flag's name: `SECONDS`, `N`, `upper|echo`, or nothing.
    var valueName: String {
        switch kind {
        case .seconds: "SECONDS"
        case .count: "N"
        case .choice(let choices): choices.joined(separator: "|")
        case .boolean: ""
        }
    }

    /// The values accepted, as `--help` and the error for a bad value say it:
    /// `0.001 to 86400`, `0 to 100`. (A duration's 0, where allowed, is shown
    /// with its meaning: `0.001 to 86400; 0: wait for ever`.)
    var range: String? {
        switch kind {
        case .seconds:
            "\(plainNumber(Self.shortestSeconds)) to \(plainNumber(Self.longestSeconds))"
        case .count(let maximum): "\(zeroMeaning == nil ? 1 : 0) to \(maximum)"
        case .choice, .boolean: nil
        }
    }

    /// The flag's line in `--help`, after its name: what it does, its range,
    /// what 0 means, and its default:
    /// `how long to wait [0.001 to 86400; 0: wait for ever] (default 1)`.
    var helpText: String {
        var text = help
        if let range { text += " [\(range)" + (zeroMeaning.map { "; 0: \($0)" } ?? "") + "]" }
        if let defaultValue { text += " (default \(defaultValue))" }
        return text
    }
}

/// `20` rather than `20.0`, `0.5` as itself.
private func plainNumber(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value))" : "\(value)"
}

/// A command line the lesson can trust: every value was checked when it was read.
///
/// Reading a flag the lesson never declared, or as the wrong kind, is a bug
/// in the lesson, not bad input: it stops the program at once, naming the flag,
/// so that the end-to-end tests, which run every program, catch it.
public struct Options: Sendable {
    public let host: String
    public let port: UInt16
    let values: [String: String]
    let kinds: [String: Flag.Kind]
    /// The flags on the command line, as opposed to those left at their defaults.
    let given: Set<String>

    /// Whether the flag was on the command line, not just at its default.
    public func isGiven(_ name: String) -> Bool {
        requireDeclared(name, as: "any") { _ in true }
        return given.contains(name)
    }

    /// The value of a `.seconds` flag, or nil when it has no default and was not given.
    public func seconds(_ name: String) -> Double? {
        requireDeclared(name, as: "seconds") { $0 == .seconds }
        return values[name].flatMap { Double($0) }
    }

    /// The value of a `.count` flag.
    public func count(_ name: String) -> Int {
        requireDeclared(name, as: "count") {
            if case .count = $0 { return true }
            return false
        }
        guard let value = values[name].flatMap({ Int($0) }) else {
            preconditionFailure("--\(name) is a count with no default")
        }
        return value
    }

    /// The word given to a `.choice` flag (always one of its listed words),
    /// its default, or nil when it has neither.
    public func choice(_ name: String) -> String? {
        requireDeclared(name, as: "choice") {
            if case .choice = $0 { return true }
            return false
        }
        return values[name]
    }

    /// Whether a `.boolean` flag was given.
    public func isOn(_ name: String) -> Bool {
        requireDeclared(name, as: "boolean") { $0 == .boolean }
        return values[name] != nil
    }

    private func requireDeclared(
        _ name: String, as kindName: String, _ matches: (Flag.Kind) -> Bool
    ) {
        guard let kind = kinds[name] else {
            preconditionFailure("the lesson reads --\(name), which it never declared")
        }
        guard matches(kind) else {
            preconditionFailure("the lesson reads --\(name) as a \(kindName) flag; it is not one")
        }
    }
}

/// A command line that cannot be used, described in one line.
public enum FlagError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case missingValue(flag: String)
    case malformed(flag: String, value: String, expected: String)
    case unexpectedValue(flag: String)
    case duplicate(flag: String)

    public var description: String {
        switch self {
        case .unknown(let argument): "unknown flag \"\(argument)\" (try --help)"
        case .missingValue(let flag): "--\(flag) needs a value (try --help)"
        case .unexpectedValue(let flag): "--\(flag) takes no value; give it alone to turn it on"
        case .duplicate(let flag): "--\(flag) is given twice; give it once"
        case .malformed(let flag, let value, let expected):
            "--\(flag): \"\(value)\" is not \(expected)"
        }
    }
}

/// Reads `--name value` and `--name=value` pairs. Returns nil when `--help` was asked for.
///
/// `--host` and `--port` are always accepted; `flags` adds the lesson's own.
func parseFlags(
    _ arguments: [String],
    defaultHost: String,
    defaultPort: UInt16,
    flags: [Flag]
) throws(FlagError) -> Options? {
    var values = ["host": defaultHost, "port": "\(defaultPort)"]
    for flag in flags { values[flag.name] = flag.defaultValue }
    var given: Set<String> = []

    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
        if argument == "--help" || argument == "-h" { return nil }
        // Some people write `swift run lesson02-client -- --hold 3`; the `--` is harmless.
        if argument == "--" { continue }
        guard argument.hasPrefix("--") else { throw .unknown(argument) }
        var name = String(argument.dropFirst(2))
        var value: String?
        if let equals = name.firstIndex(of: "=") {
            value = String(name[name.index(after: equals)...])
            name = String(name[..<equals])
        }
        let flag = flags.first { $0.name == name }
        guard name == "host" || name == "port" || flag != nil else {
            throw .unknown(argument)
        }
        // `--timeout 1 --timeout 5`: which one was meant? Refuse to guess.
        guard given.insert(name).inserted else { throw .duplicate(flag: name) }
        if flag?.kind == .boolean {
            guard value == nil else { throw .unexpectedValue(flag: name) }
            values[name] = "on"
            continue
        }
        guard let text = value ?? remaining.popFirst() else { throw .missingValue(flag: name) }
        try check(text, for: name, flag: flag)
        values[name] = text
    }
    var kinds: [String: Flag.Kind] = [:]
    for flag in flags { kinds[flag.name] = flag.kind }
    return Options(
        host: values["host"]!, port: UInt16(values["port"]!)!, values: values, kinds: kinds,
        given: given)
}

/// Throws unless `value` suits the flag: a port, a duration, a count or one of the choices.
private func check(_ value: String, for name: String, flag: Flag?) throws(FlagError) {
    let expected = flag?.range.map { "from \($0)" }
    switch (name, flag?.kind) {
    case ("port", _):
        guard UInt16(value) != nil else {
            throw .malformed(flag: name, value: value, expected: "a port number (0 to 65535)")
        }
    case (_, .seconds):
        // A positive duration under 1 ms is refused, not rounded: 0.0000004 s
        // would otherwise reach the kernel as 0, which means "no timeout".
        let zeroAllowed = flag?.zeroMeaning != nil
        guard let seconds = Double(value),
            (seconds == 0 && zeroAllowed)
                || (seconds >= Flag.shortestSeconds && seconds <= Flag.longestSeconds)
        else {
            let zero = zeroAllowed ? ", or 0" : ""
            throw .malformed(
                flag: name, value: value,
                expected: "a number of seconds \(expected ?? "")\(zero)")
        }
    case (_, .count(let maximum)):
        let lowest = flag?.zeroMeaning == nil ? 1 : 0
        guard let count = Int(value), count >= lowest, count <= maximum else {
            throw .malformed(
                flag: name, value: value, expected: "a whole number \(expected ?? "")")
        }
    case (_, .choice(let choices)):
        guard choices.contains(value) else {
            let list = choices.joined(separator: ", ")
            throw .malformed(flag: name, value: value, expected: "one of \(list)")
        }
    default:
        guard !value.isEmpty else { throw .malformed(flag: name, value: value, expected: "a host") }
    }
}
