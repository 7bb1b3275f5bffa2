import LessonProcess
import NetUtil

/// `workbook check [LESSON]`: runs each exercise's checks on the learner's
/// code and prints one line per exercise (done, not started or failing), the
/// first failed expectation of a failing one, and a progress line.
///
/// Each exercise runs in an `exercise-runner` process of its own. The runner
/// gives up on a check whose time is over; should the runner itself not
/// finish, it is killed at `deadline`, so the check never hangs.
///
/// The tests add `--solution` or `--wrong N` to check the reference solution
/// or a classic wrong answer in place of the learner's code.
///
/// Returns the exit status: 1 while any started exercise fails, else 0.
func check(_ arguments: [String]) throws(WorkbookError) -> Int32 {
    var arguments = arguments
    var instead: [String] = []
    if let flag = arguments.firstIndex(where: { $0.hasPrefix("--") }) {
        instead = Array(arguments[flag...])
        arguments.removeSubrange(flag...)
    }
    guard arguments.count <= 1 else { throw .usage }
    let chosen = try arguments.first.map { name throws(WorkbookError) in [try lesson(named: name)] }
    return checkExercises(chosen ?? lessons, instead: instead)
}

private func checkExercises(_ chosen: [Lesson], instead: [String]) -> Int32 {
    var counts: [String: Int] = [:]
    var shown = 0
    for lesson in chosen {
        guard let report = checkExercise(lesson, instead: instead) else { continue }
        shown += 1
        counts[report.verdict, default: 0] += 1
        let label = "\(lesson.number) \(lesson.name)".padding(toLength: 20)
        Output.line("\(label) \(report.task): \(report.verdict)")
        for (title, text) in report.details {
            Output.line("     \(title.padding(toLength: 9)) \(text)")
        }
    }
    if shown == 0 {
        Output.line("no exercise for lesson \(chosen.map(\.number).joined(separator: ", ")) yet")
        return 0
    }
    let others = ["failing", "not started"].compactMap { verdict in
        counts[verdict].map { "\($0) \(verdict)" }
    }
    let done = "\(counts["done", default: 0]) of \(shown) done"
    Output.line(([done] + others).joined(separator: ", "))
    if counts["done", default: 0] < shown {
        let folder = chosen.count == 1 ? chosen[0].folder : "NN-name"
        Output.line(
            "Your code: Lessons/\(folder)/Exercise/Exercise.swift; help: Notes.md, \"Your turn\".")
    }
    return counts["failing"] == nil ? 0 : 1
}

/// How long one exercise's checks may take in all, should the runner's own
/// per-check limits fail to stop it.
private let deadline: Duration = .seconds(30)

/// What `exercise-runner` said about one exercise.
private struct Report {
    var task = "?"
    var verdict = "failing"
    var details: [(String, String)] = []
}

/// Runs `exercise-runner` for `lesson`; nil when the lesson has no exercise.
private func checkExercise(_ lesson: Lesson, instead: [String]) -> Report? {
    var report = Report()
    var check = ""
    var hint = ""
    let finished: LessonProcess.Finished
    do {
        let runner = try LessonProcess("exercise-runner", arguments: [lesson.number] + instead)
        finished = try runner.finish(before: .now + deadline)
    } catch {
        report.details = [("problem:", "\(error)")]
        return report
    }
    if finished.status == 2 { return nil }
    for line in finished.lines {
        let (key, value) = line.splitAtFirstSpace()
        switch key {
        case "task": report.task = value
        case "check": check = value
        case "hint": hint = value
        case "expected", "got": report.details.append((key + ":", value))
        default: if ["done", "not", "failing"].contains(key) { report.verdict = line }
        }
    }
    if finished.status > 128 {
        // The code crashed the runner: show Swift's own reason, if it gave one.
        let reason = finished.errorLines.first { $0.contains("Fatal error") }
        report.verdict = "failing"
        report.details = [
            ("expected:", "an answer"),
            (
                "got:",
                "a crash (signal \(finished.status - 128))" + (reason.map { ": \($0)" } ?? "")
            ),
        ]
    }
    if report.verdict == "failing" {
        report.details.insert(("check:", check), at: 0)
        report.details.append(("hint:", hint))
    }
    return report
}

extension String {
    fileprivate func splitAtFirstSpace() -> (String, String) {
        guard let space = firstIndex(of: " ") else { return (self, "") }
        return (String(self[..<space]), String(self[index(after: space)...]))
    }

    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
