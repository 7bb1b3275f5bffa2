import FramingBench
import NetUtil

/// The sending side, started by the benchmark as a second process:
///
///     --peer bulk VARIANT PORT SIZE RUNS   connect RUNS times, send one SIZE-byte message each
///     --peer echo VARIANT PORT SIZE        connect once, echo every message until closed
func runPeer(_ arguments: [String]) -> Never {
    do {
        guard arguments.count >= 4, let variant = Variant(rawValue: arguments[1]),
            let port = UInt16(arguments[2]), let size = Int(arguments[3])
        else {
            throw SettingsError.malformed("--peer")
        }
        switch arguments[0] {
        case "bulk":
            let runs = arguments.count > 4 ? Int(arguments[4]) ?? 1 : 1
            let body = benchBody(size: size)  // made before connecting, so it is not timed
            for _ in 0..<runs {
                let (connection, _) = try connectTCP(host: "127.0.0.1", port: port)
                try sendMessage(body, over: BenchConnection(connection), as: variant)
                connection.close()
            }
        case "echo":
            let (connection, _) = try connectTCP(host: "127.0.0.1", port: port)
            if variant == .raw { try disableNagle(on: connection) }
            try echoMessages(over: BenchConnection(connection), as: variant, size: size)
        default:
            throw SettingsError.unknown(arguments[0])
        }
    } catch {
        Output.errorLine("framing-bench peer: \(error)")
        exit(1)
    }
    exit(0)
}
