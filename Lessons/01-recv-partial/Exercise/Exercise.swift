// Exercise 01 · receive exactly `count` bytes, however recv splits them.
//
// One recv returns what has arrived, up to the size you ask for: maybe less.
// Loop until you have `count` bytes. recv returning 0 means the peer closed:
// before any byte, that is a clean end (return nil); part-way, it is an
// error (throw ExerciseError.closedPartWay(received:) with how many arrived).
// Never ask recv for more than you still need: the rest belongs to the next message.
//
// Read first: Notes.md, lesson 01, "Your turn". Check: swift run workbook check 1
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func receiveExactly(_ count: Int, from socket: Int32) throws -> [UInt8]? {
    throw ExerciseError.notStarted  // replace this line with your loop over recv(socket, ...)
}
