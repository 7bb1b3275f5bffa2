/// Runs one side of a lesson: reads the command line, runs `body`, and turns
/// any error into one line on standard error and a non-zero exit status.
///
/// A learner should never see a crash report for an expected failure such as
/// "no server is listening". Exit statuses: 0 done, 1 the lesson failed
/// (the error line says why), 2 the command line was wrong.
///
/// - Parameters:
///   - role: `"server"` or `"client"`; starts every trace line.
///   - summary: one sentence for `--help`.
///   - port: the default port, as in the tutorial.
///   - flags: the lesson's own flags, besides `--host` and `--port`.
///   - watchesStopSignals: true for a server that takes Ctrl-C itself: lesson
///     07 as one more descriptor in its poll loop (see `StopSignalPipe`), lesson
///     09 to remove its fresh directory first. It must then print the same
///     `stopping (SIGINT)` line and exit 0.
public func runLesson(
    role: String,
    summary: String,
    port: UInt16 = 8080,
    flags: [Flag] = [],
    watchesStopSignals: Bool = false,
    arguments: [String] = Array(CommandLine.arguments.dropFirst()),
    usageExtra: [String] = [],
    _ body: (Options) throws -> Void
) -> Never {
    traceRole.withLock { $0 = role }
    let program =
        CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? role
    let options: Options
    do {
        guard
            let parsed = try parseFlags(
                arguments, defaultHost: "127.0.0.1",
                defaultPort: port, flags: flags)
        else {
            let text = usage(
                program: program, role: role, summary: summary, port: port, flags: flags)
            Output.line(([text] + usageExtra).joined(separator: "\n"))
            exit(0)
        }
        options = parsed
    } catch {
        Output.errorLine("\(role): \(error)")
        exit(2)
    }
    if role == "server" {
        if !watchesStopSignals { stopServerOnSignal() }
        warnIfReachableFromNetwork(host: options.host)
    }
    do {
        try body(options)
    } catch {
        Output.errorLine("\(role): \(error)")
        exit(1)
    }
    exit(0)
}

/// The text `--help` prints.
func usage(program: String, role: String, summary: String, port: UInt16, flags: [Flag]) -> String {
    let isServer = role == "server"
    var rows = [
        (
            "--host HOST",
            (isServer ? "address to listen on" : "address of the server") + " (default 127.0.0.1)"
        ),
        (
            "--port PORT",
            (isServer ? "port; 0 lets the kernel pick a free one" : "port of the server")
                + " (default \(port))"
        ),
    ]
    for flag in flags {
        let value = flag.valueName.isEmpty ? "" : " \(flag.valueName)"
        rows.append(("--\(flag.name)\(value)", flag.helpText))
    }
    rows.append(("--help", "show this help"))
    let width = rows.map(\.0.count).max()! + 2
    let lines = rows.map { "  " + $0.0.padding(to: width) + $0.1 }
    let synopsis = rows.dropLast().map { "[\($0.0)]" }.joined(separator: " ")
    return (["\(program): \(summary)", "", "usage: \(program) \(synopsis)", ""] + lines)
        .joined(separator: "\n")
}

extension String {
    /// The string with spaces added up to `width` characters.
    fileprivate func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
