// Exercise 06 · a UDP request with a timeout and a bounded number of retries.
//
// Send `message` to `server` and wait at most `seconds` for the reply. A
// datagram can be lost and nobody tells you: after each timeout, send again,
// `attempts` times in all, then throw ExerciseError.noReply. Anyone can send a
// datagram to your port: accept a reply only from the server's address and
// port, and ignore the rest. `socket` is a bound UDPSocket (see NetUtil's UDP.swift).
//
// Read first: Notes.md, lesson 06, "Your turn". Check: swift run workbook check 6
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func request(
    _ message: [UInt8], to server: SocketAddress, over socket: UDPSocket,
    timeout seconds: Double, attempts: Int
) throws -> [UInt8] {
    throw ExerciseError.notStarted  // replace this line: send, wait, check the sender, retry
}
