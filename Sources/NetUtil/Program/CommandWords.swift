/// A lesson's command line with words the flags cannot hold: operands such
/// as `put FILE`, and flags whose value is any text, such as `--root DIR`.
public struct CommandWords: Sendable {
    /// The words that are neither flags nor flag values, in order: `["put", "notes.txt"]`.
    public let operands: [String]
    /// The values of the text flags that were given, by name without the dashes.
    public let texts: [String: String]
}

/// A flag whose value is any text, such as a directory: `--root DIR`.
public struct TextFlag: Sendable {
    let name: String
    let valueName: String
    let help: String

    public init(_ name: String, valueName: String, help: String) {
        self.name = name
        self.valueName = valueName
        self.help = help
    }
}

/// Runs a lesson that takes operands or text flags; otherwise as `runLesson`.
/// `operandUsage` is shown by `--help`, such as `put FILE | get NAME | list`.
public func runLesson(
    role: String,
    summary: String,
    port: UInt16,
    flags: [Flag],
    textFlags: [TextFlag],
    operandUsage: String?,
    watchesStopSignals: Bool = false,
    _ body: (Options, CommandWords) throws -> Void
) -> Never {
    let arguments = Array(CommandLine.arguments.dropFirst())
    let words: CommandWords
    let rest: [String]
    do {
        (words, rest) = try separateWords(arguments, flags: flags, textFlags: textFlags)
    } catch {
        Output.errorLine("\(role): \(error)")
        exit(2)
    }
    var extra = textFlags.map { "  --\($0.name) \($0.valueName)  \($0.help)" }
    if let operandUsage { extra.append("  operands: \(operandUsage)") }
    runLesson(
        role: role, summary: summary, port: port, flags: flags,
        watchesStopSignals: watchesStopSignals, arguments: rest, usageExtra: extra
    ) { options in try body(options, words) }
}

/// Splits `arguments` into operands, text flag values and the rest, which
/// `parseFlags` reads as usual. A word right after a flag that takes a value
/// is that value, never an operand.
func separateWords(
    _ arguments: [String], flags: [Flag], textFlags: [TextFlag]
) throws(FlagError) -> (CommandWords, [String]) {
    var operands: [String] = []
    var texts: [String: String] = [:]
    var rest: [String] = []
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
        guard argument.hasPrefix("--"), argument != "--" else {
            if argument != "--" { operands.append(argument) }
            continue
        }
        let name = String(argument.dropFirst(2).prefix { $0 != "=" })
        let inlineValue = argument.contains("=")
        if textFlags.contains(where: { $0.name == name }) {
            if inlineValue {
                texts[name] = String(argument.drop { $0 != "=" }.dropFirst())
            } else {
                guard let value = remaining.popFirst() else { throw .missingValue(flag: name) }
                texts[name] = value
            }
            continue
        }
        rest.append(argument)
        let takesValue =
            name == "host" || name == "port"
            || flags.contains { $0.name == name && $0.kind != .boolean }
        if takesValue, !inlineValue, let value = remaining.popFirst() { rest.append(value) }
    }
    return (CommandWords(operands: operands, texts: texts), rest)
}
