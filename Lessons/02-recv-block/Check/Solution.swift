import ExerciseKit
import NetUtil

/// Exercise 02's reference solution: a receive timeout on the socket, then one recv.
func receiveSolution(upTo maximum: Int, from socket: Int32, within seconds: Double) throws
    -> [UInt8]
{
    // Whole microseconds first, so that tv_usec never rounds up to 1,000,000.
    let microseconds = Int((seconds * 1_000_000).rounded())
    var limit = timeval(
        tv_sec: .init(microseconds / 1_000_000), tv_usec: .init(microseconds % 1_000_000))
    let size = socklen_t(MemoryLayout<timeval>.size)
    guard setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, size) == 0 else {
        throw ExerciseError.failed(call: "setsockopt(SO_RCVTIMEO)", errno: errno)
    }
    var bytes = [UInt8](repeating: 0, count: maximum)
    let got = recv(socket, &bytes, maximum, 0)
    if got < 0 {
        // The deadline passed with nothing received: the kernel says EAGAIN.
        if errno == EAGAIN || errno == EWOULDBLOCK { throw ExerciseError.timedOut }
        throw ExerciseError.failed(call: "recv", errno: errno)
    }
    return Array(bytes[..<got])
}
