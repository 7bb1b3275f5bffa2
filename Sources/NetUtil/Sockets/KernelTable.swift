/// One TCP connection as the kernel's own table lists it, such as a
/// connection in TIME_WAIT that no program holds any more.
public struct KernelConnection: Sendable, Equatable, CustomStringConvertible {
    public let local: String
    public let remote: String
    public let localPort: UInt16
    /// The state's name, such as `TIME_WAIT`.
    public let state: String

    /// `127.0.0.1:41234 -> 127.0.0.1:50112 TIME_WAIT`
    public var description: String { "\(local) -> \(remote) \(state)" }
}

/// Every TCP connection in TIME_WAIT on this machine, read from Linux's
/// `/proc/net/tcp` and `/proc/net/tcp6` (state 06), the table that
/// `ss -tan state time-wait` prints. Nil where those files do not exist,
/// as on macOS; there, `netstat -an -p tcp | grep TIME_WAIT` shows them.
public func connectionsInTimeWait() -> [KernelConnection]? {
    guard let ipv4 = readWholeFile("/proc/net/tcp") else { return nil }
    let ipv6 = readWholeFile("/proc/net/tcp6") ?? ""
    return (tableRows(ipv4) + tableRows(ipv6)).filter { $0.state == "TIME_WAIT" }
}

/// One line saying whether the kernel keeps the connection from `local` to
/// `peer` in TIME_WAIT, for a lesson to trace once its socket is closed:
///
///     kernel table: 127.0.0.1:8080 -> 127.0.0.1:50112 in TIME_WAIT
public func timeWaitReport(from local: SocketAddress, to peer: SocketAddress) -> String {
    guard let waiting = connectionsInTimeWait() else {
        return "no /proc/net/tcp here: run `netstat -an -p tcp | grep TIME_WAIT`"
    }
    let found = waiting.contains { $0.local == "\(local)" && $0.remote == "\(peer)" }
    return "kernel table: \(local) -> \(peer) \(found ? "in" : "not in") TIME_WAIT"
}

/// The rows of one table. Each line after the header starts
/// `sl local_address rem_address st`, addresses as `0100007F:A3D7`:
/// the address's 32-bit words printed in the machine's byte order, then the port.
func tableRows(_ table: String) -> [KernelConnection] {
    table.split(separator: "\n").dropFirst().compactMap { line in
        let fields = line.split(separator: " ")
        guard fields.count > 3, let local = tableAddress(fields[1]),
            let remote = tableAddress(fields[2])
        else { return nil }
        let state = fields[3] == "06" ? "TIME_WAIT" : "state \(fields[3])"
        return KernelConnection(
            local: local.text, remote: remote.text, localPort: local.port, state: state)
    }
}

/// `0100007F:A3D7` as `127.0.0.1:41943`; 32 hex digits before the colon mean IPv6.
private func tableAddress(_ field: Substring) -> (text: String, port: UInt16)? {
    let parts = field.split(separator: ":")
    guard parts.count == 2, let port = UInt16(parts[1], radix: 16) else { return nil }
    let hex = Array(parts[0])
    guard hex.count == 8 || hex.count == 32 else { return nil }
    // Each 8-digit word is a number in this machine's byte order, so its bytes
    // in memory are the address's bytes in network order.
    var words: [UInt32] = []
    for start in stride(from: 0, to: hex.count, by: 8) {
        guard let word = UInt32(String(hex[start..<start + 8]), radix: 16) else { return nil }
        words.append(word)
    }
    let family = words.count == 1 ? AF_INET : AF_INET6
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let converted = words.withUnsafeBytes { raw in
        inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) != nil
    }
    guard converted else { return nil }
    let host = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return (family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)", port)
}

/// A whole small file as text, or nil if it cannot be opened.
///
/// The corresponding C functions are `open(2)` and `read(2)`.
private func readWholeFile(_ path: String) -> String? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { _ = posixClose(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == -1 && errno == EINTR { continue }
        if count <= 0 { break }
        bytes += chunk[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}
