import Foundation
import TestThreads
import Testing

/// Notes.md promises, for each lesson, the names of the tests that check it.
/// These tests keep that promise honest as lessons and tests change.
@Suite("Notes.md", .mayBlock)
struct NotesTests {
    /// The package's root folder, found from this source file's path.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `@Test("…")` name in the test sources, with `\"` and `\\` unescaped.
    static func testNames() throws -> Set<String> {
        let folder = root.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var names: Set<String> = []
        let pattern = try NSRegularExpression(pattern: #"@Test\(\s*"((?:[^"\\]|\\.)*)""#)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for match in pattern.matches(in: text, range: range) {
                let literal = String(text[Range(match.range(at: 1), in: text)!])
                names.insert(
                    literal.replacingOccurrences(of: #"\""#, with: "\"")
                        .replacingOccurrences(of: #"\\"#, with: "\\"))
            }
        }
        return names
    }

    /// The names listed under each "Tests that check this" heading.
    static func namesInNotes() throws -> [String] {
        let text = try String(
            contentsOf: root.appendingPathComponent("Notes.md"), encoding: .utf8)
        var names: [String] = []
        var inList = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") { inList = line.contains("Tests that check") }
            if inList, line.hasPrefix("- `"), line.hasSuffix("`") {
                names.append(String(line.dropFirst(3).dropLast()))
            }
        }
        return names
    }

    @Test("every test that Notes.md names exists, word for word")
    func namedTestsExist() throws {
        let names = try Self.namesInNotes()
        #expect(names.count >= 60)
        let known = try Self.testNames()
        let missing = names.filter { !known.contains($0) }
        #expect(missing == [])
    }
}
