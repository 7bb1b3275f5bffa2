/// A flag a lesson takes besides `--host` and `--port`, such as `--hold SECONDS`.
public struct Flag: Sendable {
    /// What the value must look like; checked when the command line is read.
    public enum Kind: Sendable, Equatable {
        /// A number of seconds, zero or more, fractions allowed: `0.5`.
        case seconds
        /// A whole number, one or more: `1024`.
        case count
        /// One word from a fixed list: `merge` or `spill`.
        case choice([String])
    }

    let name: String
    let kind: Kind
    let defaultValue: String?
    let help: String

    /// A duration in seconds; with no default, the flag is off unless given.
    public static func seconds(_ name: String, default value: Double? = nil, help: String) -> Flag {
        Flag(name: name, kind: .seconds, defaultValue: value.map(plainNumber), help: help)
    }

    /// A whole number, one or more.
    public static func count(_ name: String, default value: Int, help: String) -> Flag {
        Flag(name: name, kind: .count, defaultValue: "\(value)", help: help)
    }

    /// One of a fixed list of words, such as `--demo merge|spill`.
    public static func choice(
        _ name: String, values: [String], default value: String, help: String
    ) -> Flag {
        Flag(name: name, kind: .choice(values), defaultValue: value, help: help)
    }

    var valueName: String {
        switch kind {
        case .seconds: "SECONDS"
        case .count: "N"
        case .choice(let values): values.joined(separator: "|")
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

    /// The value of a `.choice` flag: always one of its listed words.
    public func choice(_ name: String) -> String {
        values[name] ?? ""
    }
}

/// A command line that cannot be used, described in one line.
public enum FlagError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case missingValue(flag: String)
    case malformed(flag: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unknown(let argument): "unknown flag \"\(argument)\" (try --help)"
        case .missingValue(let flag): "--\(flag) needs a value (try --help)"
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
        guard argument.hasPrefix("--") else { throw .unknown(argument) }
        var name = String(argument.dropFirst(2))
        var value: String?
        if let equals = name.firstIndex(of: "=") {
            value = String(name[name.index(after: equals)...])
            name = String(name[..<equals])
        }
        guard values.keys.contains(name) || flags.contains(where: { $0.name == name }) else {
            throw .unknown(argument)
        }
        guard let given = value ?? remaining.popFirst() else { throw .missingValue(flag: name) }
        try check(given, for: name, kind: flags.first { $0.name == name }?.kind)
        values[name] = given
    }
    return Options(host: values["host"]!, port: UInt16(values["port"]!)!, values: values)
}

/// Throws unless `value` suits the flag: a port, a duration, a count or a listed word.
private func check(_ value: String, for name: String, kind: Flag.Kind?) throws(FlagError) {
    switch (name, kind) {
    case ("port", _):
        guard UInt16(value) != nil else {
            throw .malformed(flag: name, value: value, expected: "a port number (0 to 65535)")
        }
    case (_, .seconds):
        guard let seconds = Double(value), seconds.isFinite, seconds >= 0 else {
            throw .malformed(flag: name, value: value, expected: "a number of seconds (0 or more)")
        }
    case (_, .count):
        guard let count = Int(value), count >= 1 else {
            throw .malformed(flag: name, value: value, expected: "a whole number (1 or more)")
        }
    case (_, .choice(let values)):
        guard values.contains(value) else {
            let list = values.joined(separator: ", ")
            throw .malformed(flag: name, value: value, expected: "one of \(list)")
        }
    default:
        guard !value.isEmpty else { throw .malformed(flag: name, value: value, expected: "a host") }
    }
}
