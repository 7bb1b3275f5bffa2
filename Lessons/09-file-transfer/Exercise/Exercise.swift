// Exercise 09 · receive a file's body of `totalSize` bytes into `file`, through `buffer`.
//
// The header has been read; the body's bytes wait in the socket, and the next
// frame's may follow them. recv into `buffer` (never more than it holds, never
// more than the body still lacks), write each piece to `file` (write returns
// how many bytes it took: loop), feed the same bytes to an MD5 (NetUtil's `MD5`
// will do), and return its lowercase hex digest. Keep no more than the buffer in
// memory. recv returning 0 before the end: throw ExerciseError.closedPartWay(received:).
// A failed call: throw ExerciseError.failed(call: "recv", errno: errno) (or "write").
// Close neither descriptor: they are the caller's.
//
// Read first: Notes.md, lesson 09, "Your turn". Check: swift run workbook check 9
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func receiveFile(
    from socket: Int32, totalSize: Int, into file: Int32, buffer: UnsafeMutableRawBufferPointer
) throws -> String {
    throw ExerciseError.notStarted  // replace this line: recv, write, hash, until totalSize
}
