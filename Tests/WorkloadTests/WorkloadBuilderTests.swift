import Testing
import Workload

/// Builds from (key, duration, dependencies) triples, origins `t<i>`.
func build(_ tasks: [(String, Double, [String])]) throws(WorkloadValidationError) -> Workload {
    var b = WorkloadBuilder(name: "test", source: "test.json")
    for (i, (key, duration, deps)) in tasks.enumerated() {
        b.add(TaskSpec(key: key, duration: duration), dependencies: deps, origin: "t\(i)")
    }
    return try b.build()
}

func issues(_ body: () throws(WorkloadValidationError) -> Workload) -> [WorkloadIssue] {
    do {
        _ = try body()
        Issue.record("built without error")
        return []
    } catch {
        return error.issues
    }
}

@Suite struct WorkloadBuilderTests {
    @Test func resolvesKeysAndDerivesStructure() throws {
        // Dependencies listed out of id order, and one listed twice.
        let w = try build([("c", 1, ["b", "a", "b"]), ("a", 1, []), ("b", 1, ["a"])])
        #expect(w[TaskID(0)].dependencies == [TaskID(2), TaskID(1), TaskID(2)])
        // A repeated dependency gives one dependent entry, and dependents are in id order.
        #expect(w.dependents == [[], [TaskID(0), TaskID(2)], [TaskID(0)]])
        #expect(w.topologicalOrder == [TaskID(1), TaskID(2), TaskID(0)])
        #expect(w.id(forKey: "b") == TaskID(2))
        #expect(w.id(forKey: "zz") == nil)
        #expect(w.edgeCount == 4)
        #expect(w.origins == ["t0", "t1", "t2"])
    }

    @Test func topologicalOrderBreaksTiesBySmallerId() throws {
        // Roots r0, r1; x needs both; y needs r1 only.
        let w = try build([("x", 1, ["r1", "r0"]), ("r1", 1, []), ("y", 1, ["r1"]), ("r0", 1, [])])
        #expect(w.topologicalOrder.map { w[$0].key } == ["r1", "r0", "y", "x"])
    }

    @Test func defaultSubmissionWantsTheLeaves() throws {
        let w = try build([("a", 1, []), ("b", 1, ["a"]), ("c", 1, ["a"])])
        #expect(w.submissions == [Submission(client: "client-0", time: 0, submitter: nil, wanted: [TaskID(1), TaskID(2)])])
        #expect(w.tasks(inSubmission: 0) == [TaskID(0), TaskID(1), TaskID(2)])
    }

    @Test func explicitSubmissions() throws {
        var b = WorkloadBuilder(name: "s", source: "s")
        b.addSubmission(client: "c0", wanted: nil, origin: "s0")
        b.addSubmission(client: "c1", time: 3, submitter: "a", wanted: ["a"], origin: "s1")
        b.add(TaskSpec(key: "a", duration: 1), dependencies: [], origin: "0")
        b.add(TaskSpec(key: "b", duration: 1, submission: 1), dependencies: ["a"], origin: "1")
        b.add(TaskSpec(key: "c", duration: 1, submission: 1), dependencies: [], origin: "2")
        let w = try b.build()
        // Submission 0's only task has a dependent in submission 1, so it wants nothing by default.
        #expect(w.submissions == [
            Submission(client: "c0", time: 0, submitter: nil, wanted: []),
            Submission(client: "c1", time: 3, submitter: TaskID(0), wanted: [TaskID(0)]),
        ])
    }

    @Test func reportsEveryProblemInInputOrder() {
        var b = WorkloadBuilder(name: "bad", source: "bad.json")
        b.report(WorkloadIssue(.invalidValue, key: "early", place: "line 1", "reported by the importer"))
        b.add(TaskSpec(key: "a", duration: .nan), dependencies: [], origin: "t0")
        b.add(TaskSpec(key: "b", duration: .infinity, outputBytes: -1), dependencies: ["ghost"], origin: "t1")
        b.add(TaskSpec(key: "a", duration: 1), dependencies: [], origin: "t2")
        b.add(TaskSpec(key: "", duration: 1), dependencies: [], origin: "t3")
        let found = issues { () throws(WorkloadValidationError) in try b.build() }
        #expect(found == [
            WorkloadIssue(.invalidValue, key: "early", place: "line 1", "reported by the importer"),
            WorkloadIssue(.duplicateKey, key: "a", place: "t2", "duplicate key (first defined at t0)"),
            WorkloadIssue(.emptyKey, key: nil, place: "t3", "task has an empty key"),
            WorkloadIssue(.invalidDuration, key: "a", place: "t0", "duration nan is not a finite number of seconds >= 0"),
            WorkloadIssue(.unknownDependency, key: "b", place: "t1", "depends on unknown key 'ghost'"),
            WorkloadIssue(.invalidDuration, key: "b", place: "t1", "duration inf is not a finite number of seconds >= 0"),
            WorkloadIssue(.invalidSize, key: "b", place: "t1", "output size -1 bytes is outside 0...1125899906842624 (1 PiB)"),
        ])
    }

    @Test func limitsAreInclusive() throws {
        var b = WorkloadBuilder(name: "edge", source: "edge")
        b.add(TaskSpec(key: "a", duration: WorkloadBuilder.maximumDuration, outputBytes: WorkloadBuilder.maximumBytes),
              dependencies: [], origin: "0")
        b.add(TaskSpec(key: "b", duration: 0, outputBytes: 0, dependencyBytes: [WorkloadBuilder.maximumBytes]),
              dependencies: ["a"], origin: "1")
        #expect(try b.build().count == 2)
    }

    @Test func emptyWorkload() {
        let found = issues { () throws(WorkloadValidationError) in try WorkloadBuilder(name: "e", source: "e").build() }
        #expect(found == [WorkloadIssue(.emptyWorkload, key: nil, place: "", "the workload has no tasks")])
    }

    @Test func cycleIsPrintedFromItsSmallestIdInDependencyDirection() {
        // a -> b -> c -> a (b depends on a, c on b, a on c), and d hangs off the cycle.
        let found = issues { () throws(WorkloadValidationError) in
            try build([("ok", 1, []), ("c", 1, ["b"]), ("a", 1, ["c", "ok"]), ("b", 1, ["a"]), ("d", 1, ["c"])])
        }
        #expect(found == [WorkloadIssue(.cycle, key: "c", place: "t1", "dependency cycle: c -> a -> b -> c")])
        let selfLoop = issues { () throws(WorkloadValidationError) in try build([("s", 1, ["s"])]) }
        #expect(selfLoop == [WorkloadIssue(.cycle, key: "s", place: "t0", "dependency cycle: s -> s")])
    }

    @Test func errorDescriptionListsIssuesUnderTheSource() {
        do {
            _ = try build([("a", -1, [])])
        } catch {
            #expect(error.description == """
                test.json: 1 problem found
                  test.json: t0: task 'a': duration -1.0 is not a finite number of seconds >= 0 [invalid-duration]
                """)
        }
    }

    @Test func restrictionIssuesNameUnknownWorkers() throws {
        var b = WorkloadBuilder(name: "r", source: "r")
        b.add(TaskSpec(key: "a", restrictions: Restrictions(workers: ["w1", "w9"], hosts: ["h2"])), dependencies: [], origin: "t0")
        b.add(TaskSpec(key: "b", restrictions: Restrictions(workers: ["w1"])), dependencies: [], origin: "t1")
        let w = try b.build()
        #expect(w.restrictionIssues(workerNames: ["w1", "w2"], hostNames: ["h1"]) == [
            WorkloadIssue(.unknownWorker, key: "a", place: "t0", "restricted to unknown worker(s) w9; cluster has 2 worker(s)"),
            WorkloadIssue(.unknownWorker, key: "a", place: "t0", "restricted to unknown host(s) h2"),
        ])
    }
}
