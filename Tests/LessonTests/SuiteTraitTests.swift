import Foundation
import TestThreads
import Testing

/// The suite runs in about 12 s instead of 45 s because every suite waits on
/// `BlockingTestPool`'s threads; one suite left on the cooperative pool would
/// quietly hold up the rest again.
@Suite("The test suites themselves", .mayBlock)
struct SuiteTraitTests {
    @Test("every @Suite in Tests/ carries .mayBlock, so no test blocks the cooperative pool")
    func everySuiteMayBlock() throws {
        let folder = NotesTests.root.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var suites = 0
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("@Suite") {
                suites += 1
                #expect(line.contains(".mayBlock"), "\(file.lastPathComponent): \(line)")
            }
        }
        #expect(suites > 50)
    }
}
