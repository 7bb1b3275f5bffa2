/// A flag a lesson takes besides `--host` and `--port`, such as `--hold SECONDS`.
public struct Flag: Sendable {
    /// What the value must look like; checked when the command line is read.
    public enum Kind: Sendable, Equatable {
        /// A number of seconds, zero or more, fractions allowed: `0.5`.
        case seconds
        /// A whole number, one or more, and at most `maximum` when there is one: `1024`.
        case count(maximum: Int?)
        /// One word out of a fixed list: `--reply upper`.
        case choice([String])
        /// On when given, off when not; it takes no value: `--connect`.
        case boolean
    }

    let name: String
    let kind: Kind
    let defaultValue: String?
    let help: String

    /// A duration in seconds; with no default, the flag is off unless given.
    public static func seconds(_ name: String, default value: Double? = nil, help: String) -> Flag {
        Flag(name: name, kind: .seconds, defaultValue: value.map(plainNumber), help: help)
    }

    /// A whole number, one or more; with a `maximum`, a larger one is refused.
    public static func count(
        _ name: String, default value: Int, maximum: Int? = nil, help: String
    ) -> Flag {
        Flag(name: name, kind: .count(maximum: maximum), defaultValue: "\(value)", help: help)
    }

    /// One word of a fixed list, such as `--demo merge|spill`; with no
    /// default, the flag is off unless given.
    public static func choice(
        _ name: String, values: [String], default value: String? = nil, help: String
    ) -> Flag {
        Flag(name: name, kind: .choice(values), defaultValue: value, help: help)
    }

    /// A switch: on when given (`--connect`), off when not.
    public static func boolean(_ name: String, help: String) -> Flag {
        Flag(name: name, kind: .boolean, defaultValue: nil, help: help)
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
}

/// `20` rather than `20.0`, `0.5` as itself.
private func plainNumber(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value))" : "\(value)"
}

/// A command line the lesson can trust: every value was checked when it was read.
public struct Options: Sendable {
    public let host: String
    public let port: UInt16
    let values: [String: String]

    /// The value of a `.seconds` flag, or nil when it has no default and was not given.
    public func seconds(_ name: String) -> Double? {
        values[name].flatMap { Double($0) }
    }

    /// The value of a `.count` flag.
    public func count(_ name: String) -> Int {
        values[name].flatMap { Int($0) } ?? 0
    }

    /// The word given to a `.choice` flag (always one of its listed words),
    /// its default, or nil when it has neither.
    public func choice(_ name: String) -> String? {
        values[name]
    }

    /// Whether a `.boolean` flag was given.
    public func isOn(_ name: String) -> Bool {
        values[name] != nil
    }
}

/// A command line that cannot be used, described in one line.
public enum FlagError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case missingValue(flag: String)
    case malformed(flag: String, value: String, expected: String)
    case unexpectedValue(flag: String)

    public var description: String {
        switch self {
        case .unknown(let argument): "unknown flag \"\(argument)\" (try --help)"
        case .missingValue(let flag): "--\(flag) needs a value (try --help)"
        case .unexpectedValue(let flag): "--\(flag) takes no value; give it alone to turn it on"
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
        let kind = flags.first { $0.name == name }?.kind
        guard values.keys.contains(name) || kind != nil else {
            throw .unknown(argument)
        }
        if kind == .boolean {
            guard value == nil else { throw .unexpectedValue(flag: name) }
            values[name] = "on"
            continue
        }
        guard let given = value ?? remaining.popFirst() else { throw .missingValue(flag: name) }
        try check(given, for: name, kind: kind)
        values[name] = given
    }
    return Options(host: values["host"]!, port: UInt16(values["port"]!)!, values: values)
}

/// Throws unless `value` suits the flag: a port, a duration, a count or one of the choices.
private func check(_ value: String, for name: String, kind: Flag.Kind?) throws(FlagError) {
    switch (name, kind) {
    case ("port", _):
        guard UInt16(value) != nil else {
            throw .malformed(flag: name, value: value, expected: "a port number (0 to 65535)")
        }
    case (_, .seconds):
        // A day is far more than any lesson needs, and keeps every duration
        // within what timeval, nanosleep and Int can hold.
        guard let seconds = Double(value), seconds >= 0, seconds <= 86_400 else {
            throw .malformed(
                flag: name, value: value, expected: "a number of seconds from 0 to 86400")
        }
    case (_, .count(let maximum)):
        let range = maximum.map { "from 1 to \($0)" } ?? "from 1 up"
        guard let count = Int(value), count >= 1, count <= maximum ?? Int.max else {
            throw .malformed(flag: name, value: value, expected: "a whole number \(range)")
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
