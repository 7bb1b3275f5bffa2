import ExerciseKit
import NetUtil

/// Exercise 06's reference solution: each attempt sends the request, then
/// reads datagrams until the server's reply or the attempt's deadline.
func requestSolution(
    _ message: [UInt8], to server: SocketAddress, over socket: UDPSocket,
    timeout seconds: Double, attempts: Int
) throws -> [UInt8] {
    for _ in 0..<attempts {
        try socket.send(message, to: server)
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            // Wait only for what is left of this attempt's time.
            let left = (deadline - ContinuousClock.now) / .seconds(1)
            try socket.setReceiveTimeout(seconds: max(left, 0.001))
            do {
                let datagram = try socket.receive(upTo: 65536)
                // A stranger can reach this port too: only the server's reply counts.
                if datagram.sender.description == server.description { return datagram.bytes }
            } catch .timedOut {
                break
            }
        }
    }
    throw ExerciseError.noReply
}
