// swift-tools-version: 6.0
// The workbook: one library of socket wrappers (NetUtil), one server and one
// client executable per lesson, and the tests that check what the notes claim.
import Foundation
import PackageDescription

/// The lessons, in reading order. Each folder under `Lessons/` holds a
/// `Server/main.swift` and a `Client/main.swift`.
let lessons: [(number: String, folder: String)] = [
    ("01", "01-recv-partial"),
    ("02", "02-recv-block"),
    ("03", "03-recv-eof"),
    ("04", "04-sticky-packet"),
    ("05", "05-header-framing"),
    ("06", "06-udp"),
]

var products: [Product] = [.executable(name: "framing-bench", targets: ["framing-bench"])]
var targets: [Target] = [
    .target(name: "NetUtil"),
    .target(name: "LessonProcess", dependencies: ["NetUtil"]),
    .target(name: "FramingBench", dependencies: ["NetUtil"]),
    .executableTarget(
        name: "framing-bench", dependencies: ["FramingBench", "LessonProcess", "NetUtil"]),
    .testTarget(name: "FramingBenchTests", dependencies: ["FramingBench", "NetUtil"]),
    .testTarget(name: "NetUtilTests", dependencies: ["NetUtil"]),
]
var lessonTargetNames: [String] = []

for lesson in lessons {
    for (role, folder) in [("server", "Server"), ("client", "Client")] {
        let target = "Lesson\(lesson.number)\(folder)"
        products.append(.executable(name: "lesson\(lesson.number)-\(role)", targets: [target]))
        targets.append(
            .executableTarget(
                name: target,
                dependencies: ["NetUtil"],
                path: "Lessons/\(lesson.folder)/\(folder)"
            )
        )
        lessonTargetNames.append(target)
    }
}

// The end-to-end tests run the lesson executables as child processes; naming
// them as dependencies makes `swift test` build them first.
targets.append(
    .testTarget(
        name: "LessonTests",
        dependencies: ["LessonProcess", "NetUtil"] + lessonTargetNames.map { .target(name: $0) }
    )
)

// The exercises. The learner's code (`Lessons/NN-name/Exercise`) is one module;
// the checks, reference solutions and classic wrong answers (`Lessons/NN-name/Check`)
// are another, which the learner's code does not see. `exercise-runner` puts them
// together and runs one exercise's checks in a process that `workbook check` can kill.
let exerciseFolders = lessons.map(\.folder).filter { folder in
    FileManager.default.fileExists(atPath: "\(Context.packageDirectory)/Lessons/\(folder)/Check")
}

/// A module made of one part (`Exercise` or `Check`) of every lesson that has
/// an exercise; everything else under `Lessons/` belongs to other targets.
func lessonsPart(_ part: String, name: String, dependencies: [Target.Dependency]) -> Target {
    let root = "\(Context.packageDirectory)/Lessons"
    var others: [String] = []
    for folder in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(folder)"))
        for entry in entries ?? [] where !(entry == part && exerciseFolders.contains(folder)) {
            others.append("\(folder)/\(entry)")
        }
    }
    return .target(
        name: name, dependencies: dependencies, path: "Lessons", exclude: others,
        sources: exerciseFolders.map { "\($0)/\(part)" })
}

targets += [
    .target(name: "ExerciseKit", dependencies: ["NetUtil"]),
    lessonsPart("Exercise", name: "Exercises", dependencies: ["ExerciseKit", "NetUtil"]),
    lessonsPart("Check", name: "ExerciseChecks", dependencies: ["ExerciseKit", "NetUtil"]),
    .executableTarget(
        name: "exercise-runner", dependencies: ["ExerciseChecks", "ExerciseKit", "Exercises", "NetUtil"]),
    .testTarget(
        name: "ExerciseTests",
        dependencies: ["ExerciseKit", "LessonProcess", "NetUtil", "exercise-runner", "workbook"]),
]

// The one-terminal runner starts the lesson executables as child processes;
// naming them as dependencies makes `swift run workbook` build them first.
products.append(.executable(name: "workbook", targets: ["workbook"]))
targets.append(
    .executableTarget(
        name: "workbook",
        dependencies: ["NetUtil", "LessonProcess", "exercise-runner"]
            + lessonTargetNames.map { .target(name: $0) }
    )
)
targets.append(
    .testTarget(
        name: "WorkbookTests",
        dependencies: ["LessonProcess", "NetUtil", "workbook"]
    )
)

let package = Package(
    name: "SocketWorkbook",
    products: products,
    targets: targets
)
