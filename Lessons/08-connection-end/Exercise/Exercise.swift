// Exercise 08 · send a request, say it is complete, and read the whole answer.
//
// Send every byte of `request` (send returns how many it took: loop). Then tell
// the server the request is complete without giving up the socket: it reads ""
// once it has everything, and only then answers. Read until recv returns 0 and
// return the answer. More than `limit` bytes: throw ExerciseError.longerThan(limit:),
// taking at most one byte past the limit. A failed call: throw
// ExerciseError.failed(call: "recv", errno: errno) (or "send"...): a reset is not an end.
//
// Read first: Notes.md, lesson 08, "Your turn". Check: swift run workbook check 8
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func askAndReadAll(_ socket: Int32, request: [UInt8], limit: Int) throws -> [UInt8] {
    throw ExerciseError.notStarted  // replace this line: send, end your half, recv until 0
}
