// What every lesson server shares: how it stops, the warning for an address
// the network can reach, and the cap on connections.
import Synchronization

/// Every server ends the same way on Ctrl-C (SIGINT) or `kill` (SIGTERM):
/// one line, `server: stopping (SIGINT)`, then exit status 0, since being
/// asked to stop is how a server is meant to end. The kernel closes every
/// socket on exit, so each client sees its connection end; no server starts
/// any other process, so nothing is left running.
func stopServerOnSignal() {
    onStopSignal { signal in
        traceLastLine("stopping (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))")
        exit(0)
    }
}

/// Loopback (127.0.0.1, ::1) is the default: only programs on this machine
/// can reach the server. Any other address, 0.0.0.0 and :: included, opens
/// it to every machine that can route to this one, and the server says so
/// in one line before it binds.
func warnIfReachableFromNetwork(host: String) {
    guard let address = try? SocketAddress.resolve(host: host, port: 0).first,
        !address.isLoopback
    else { return }
    trace("--host \(host) is not loopback: other machines on the network can reach this server")
}

extension SocketAddress {
    /// True for 127.0.0.0/8 and ::1 (and 127.x written as an IPv6-mapped address).
    public var isLoopback: Bool {
        host.hasPrefix("127.") || host == "::1" || host.hasPrefix("::ffff:127.")
    }
}

/// Counts a server's open connections, so that it can turn away one over
/// its limit instead of running out of threads, descriptors or memory.
///
/// Each connection costs a thread and up to about 8.3 MiB (a 64 KiB request,
/// the read-ahead buffer, an answer of at most 8 MiB), so the limit bounds
/// the whole server: 16 connections cost at most about 16 × 8.3 MiB, some 135 MiB.
public final class ConnectionLimit: Sendable {
    public let maximum: Int
    private let open = Mutex(0)

    public init(maximum: Int) {
        self.maximum = maximum
    }

    /// Takes a place for a new connection; false if `maximum` are already open.
    public func enter() -> Bool {
        open.withLock { count in
            guard count < maximum else { return false }
            count += 1
            return true
        }
    }

    /// Gives the place back when a connection ends.
    public func leave() {
        open.withLock { $0 -= 1 }
    }
}
