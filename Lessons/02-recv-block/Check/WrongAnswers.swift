import ExerciseKit
import NetUtil

/// A plain recv: nothing limits the wait.
func receiveNoTimeout(upTo maximum: Int, from socket: Int32, within seconds: Double) throws
    -> [UInt8]
{
    var bytes = [UInt8](repeating: 0, count: maximum)
    let got = recv(socket, &bytes, maximum, 0)
    if got < 0 { throw ExerciseError.failed(call: "recv", errno: errno) }
    return Array(bytes[..<got])
}

/// Sets the timeout, but returns an empty array when it expires, as if the peer had closed.
func receiveTimeoutTakenAsClose(upTo maximum: Int, from socket: Int32, within seconds: Double)
    throws -> [UInt8]
{
    var limit = timeval(tv_sec: 0, tv_usec: .init(seconds * 1_000_000))
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var bytes = [UInt8](repeating: 0, count: maximum)
    let got = recv(socket, &bytes, maximum, 0)
    return got < 0 ? [] : Array(bytes[..<got])
}

/// Does not wait at all: MSG_DONTWAIT, and "nothing yet" is taken as the timeout.
func receiveDoesNotWait(upTo maximum: Int, from socket: Int32, within seconds: Double) throws
    -> [UInt8]
{
    var bytes = [UInt8](repeating: 0, count: maximum)
    let got = recv(socket, &bytes, maximum, Int32(MSG_DONTWAIT))
    if got < 0 { throw ExerciseError.timedOut }
    return Array(bytes[..<got])
}

/// Takes 0 bytes (the peer closed) for a timeout.
func receiveCloseTakenAsTimeout(upTo maximum: Int, from socket: Int32, within seconds: Double)
    throws -> [UInt8]
{
    var limit = timeval(tv_sec: 0, tv_usec: .init(seconds * 1_000_000))
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var bytes = [UInt8](repeating: 0, count: maximum)
    let got = recv(socket, &bytes, maximum, 0)
    if got <= 0 { throw ExerciseError.timedOut }
    return Array(bytes[..<got])
}
