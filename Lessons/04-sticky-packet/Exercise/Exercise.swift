// Exercise 04 · split a byte stream into newline-terminated messages.
//
// Return the next message, without its "\n". TCP keeps no boundaries: one recv
// may bring part of a message, or several messages and the start of the next.
// Keep every byte after the "\n" in `pending`: the next call starts from there.
// Return nil when the peer closed with nothing pending; throw
// ExerciseError.closedPartWay(received:) when it closed in the middle of a message.
//
// Read first: Notes.md, lesson 04, "Your turn". Check: swift run workbook check 4
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func nextMessage(from socket: Int32, pending: inout [UInt8]) throws -> [UInt8]? {
    throw ExerciseError.notStarted  // replace this line: look in pending, recv more if needed
}
