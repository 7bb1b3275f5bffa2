// Exercise 05 · decode length-prefixed frames from whatever chunks recv returns.
//
// A frame is a 4-byte length, big-endian (network byte order), then that many
// bytes of body. The checker appends each chunk it receives to `buffer` and
// calls you: remove every complete frame from the front and return their
// bodies; leave an incomplete frame's bytes in `buffer` for the next call.
// As soon as a length is known, check it: more than `maximumLength` throws
// ExerciseError.tooLong(length:), before you allocate or wait for anything.
//
// Read first: Notes.md, lesson 05, "Your turn". Check: swift run workbook check 5
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func takeFrames(from buffer: inout [UInt8], maximumLength: Int) throws -> [[UInt8]] {
    throw ExerciseError.notStarted  // replace this line: read a length, check it, cut a body
}
