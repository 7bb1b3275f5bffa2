import Foundation
import LessonProcess
import TestThreads
import Testing

/// One exercise as `exercise-runner --list` describes it.
struct ListedExercise: Sendable, CustomTestStringConvertible {
    let lesson: String
    let task: String
    /// The words each wrong answer's report must contain, in `--wrong N` order.
    let mistakes: [String]

    var testDescription: String { "\(lesson) \(task)" }
}

/// One classic wrong answer, and the words its failing report must contain.
struct ListedWrongAnswer: Sendable, CustomTestStringConvertible {
    let lesson: String
    let index: Int
    let mistake: String

    var testDescription: String { "\(lesson) --wrong \(index): \(mistake)" }
}

/// The exercises the runner knows, read once: the tests below cover every
/// one, so a new lesson's exercise is tested as soon as it is listed.
let listedExercises: [ListedExercise] = {
    guard let runner = try? LessonProcess("exercise-runner", arguments: ["--list"]),
        let finished = try? runner.finish(before: .now + .seconds(10))
    else { return [] }
    return finished.lines.map { line in
        let fields = line.split(separator: "\t").map(String.init)
        return ListedExercise(
            lesson: fields[0], task: fields[1], mistakes: Array(fields.dropFirst(2)))
    }
}()

let listedWrongAnswers = listedExercises.flatMap { exercise in
    exercise.mistakes.enumerated().map {
        ListedWrongAnswer(lesson: exercise.lesson, index: $0.offset, mistake: $0.element)
    }
}

/// The lessons whose folder holds an `Exercise` folder, `["01", "02", ...]`, in
/// order: what `workbook check` must list, found without counting by hand.
func lessonsWithAnExercise() throws -> [String] {
    let lessons = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons")
    return try FileManager.default.contentsOfDirectory(atPath: lessons.path).sorted()
        .filter { folder in
            var isFolder: ObjCBool = false
            let exercise = lessons.appendingPathComponent(folder).appendingPathComponent("Exercise")
            return FileManager.default.fileExists(atPath: exercise.path, isDirectory: &isFolder)
                && isFolder.boolValue
        }
        .map { String($0.prefix(2)) }
}

/// Runs `workbook check` with `arguments` to its end.
func runCheck(_ arguments: [String]) throws -> LessonProcess.Finished {
    let workbook = try LessonProcess("workbook", arguments: ["check"] + arguments)
    return try workbook.finish(before: .now + .seconds(20))
}

@Suite("Exercises: the checks tell right answers from the classic wrong ones", .mayBlock)
struct ExerciseTests {
    @Test(
        "every lesson folder with an Exercise folder has its exercise listed, in lesson order, each with three or more wrong answers"
    )
    func everyLessonHasAnExercise() throws {
        #expect(listedExercises.map(\.lesson) == (try lessonsWithAnExercise()))
        #expect(listedExercises.count >= 7)
        #expect(listedExercises.allSatisfy { $0.mistakes.count >= 3 })
    }

    @Test("each exercise's reference solution passes every check", arguments: listedExercises)
    func solutionPasses(_ exercise: ListedExercise) throws {
        let end = try runCheck([exercise.lesson, "--solution"])
        #expect(end.lines.first?.hasSuffix(": done") == true, "\(end.lines)")
        #expect(end.lines.last == "1 of 1 done")
        #expect(end.status == 0)
    }

    @Test(
        "each classic wrong answer fails its exercise's checks, with a report naming its mistake",
        arguments: listedWrongAnswers)
    func wrongAnswerFails(_ wrong: ListedWrongAnswer) throws {
        let end = try runCheck([wrong.lesson, "--wrong", "\(wrong.index)"])
        #expect(end.lines.first?.hasSuffix(": failing") == true, "\(end.lines)")
        #expect(end.lines.contains { $0.contains(wrong.mistake) }, "\(end.lines)")
        #expect(end.status == 1)
    }

    @Test("a failing exercise shows the check, the bytes expected and got, and a hint to the notes")
    func failingReport() throws {
        let end = try runCheck(["1", "--wrong", "0"])
        #expect(
            end.lines.prefix(5) == [
                "01 recv-partial      receive exactly n bytes: failing",
                "     check:    returns \"hello\" when it arrives one byte at a time",
                "     expected: \"hello\" (5 bytes)",
                "     got:      \"h\" (1 byte)",
                "     hint:     one recv returns what has arrived so far, here 1 byte: loop until "
                    + "you have all 5 (Notes.md, lesson 01, Your turn)",
            ])
        #expect(end.lines.dropFirst(5).first == "0 of 1 done, 1 failing")
        #expect(end.status == 1)
    }

    @Test("code that blocks for ever fails when its check's time is up, within seconds")
    func blockingCodeFailsByItsDeadline() throws {
        let started = ContinuousClock.now
        let end = try runCheck(["2", "--wrong", "0"])
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(end.lines.contains("     got:      still running after 1.00 s, blocked, waiting"))
        #expect(end.status == 1)
    }

    @Test("code that spins for ever fails when its check's time is up, reported as spinning")
    func spinningCodeFailsByItsDeadline() throws {
        let end = try runCheck(["3", "--wrong", "0"])
        #expect(end.lines.contains { $0.hasPrefix("     got:      still running after 1.00 s") })
        #expect(end.status == 1)
    }

    @Test("code that crashes fails its check with Swift's reason, not a crash of the workbook")
    func crashingCodeFails() throws {
        // Wrong answer 3 of exercise 05 reserves 4 GiB for a length of ff ff ff ff;
        // the runner's memory limit makes that allocation fail.
        let end = try runCheck(["5", "--wrong", "3"])
        #expect(end.lines.contains { $0.hasPrefix("     got:      a crash (signal ") })
        #expect(end.status == 1)
    }

    @Test(
        "workbook check prints one line per exercise and a progress line \"N of M done\", M the number of exercises"
    )
    func checkEveryExercise() throws {
        let end = try runCheck([])
        let count = try lessonsWithAnExercise().count
        #expect(count >= 7)
        let verdicts = end.lines.prefix(count).map { line in
            ["done", "not started", "failing"].first { line.hasSuffix(": \($0)") }
        }
        #expect(verdicts.count == count && verdicts.allSatisfy { $0 != nil }, "\(end.lines)")
        let progress = try #require(end.lines.first { $0.contains(" of \(count) done") })
        #expect(end.status == (progress.contains("failing") ? 1 : 0))
    }

    @Test("workbook check takes a lesson by number or name, as workbook does")
    func checkOneByName() throws {
        for name in ["5", "05", "header-framing"] {
            let end = try runCheck([name, "--solution"])
            #expect(
                end.lines == [
                    "05 header-framing    decode length-prefixed frames: done", "1 of 1 done",
                ])
        }
        #expect(try runCheck(["nine"]).status == 2)
    }
}
