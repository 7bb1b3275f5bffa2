// framing-bench · what framing costs, against the raw socket and the tutorial's way.
//
//     swift run -c release framing-bench [--size BYTES] [--count N] [--runs N] [--pin] [--json]
//
// The receiving side is this process; the sending side is a second copy of
// this program (`--peer`), so each side's memory and CPU are its own.
import FramingBench
import LessonProcess
import NetUtil

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--peer" {
    runPeer(Array(arguments.dropFirst()))
}

let settings: BenchSettings
do {
    settings = try BenchSettings(arguments)
} catch {
    Output.errorLine("framing-bench: \(error)")
    exit(2)
}
if settings.help {
    Output.line(BenchSettings.usage)
    exit(0)
}
do {
    try runBench(settings)
} catch {
    Output.errorLine("framing-bench: \(error)")
    exit(1)
}
