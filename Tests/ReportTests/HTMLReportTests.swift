import Foundation
import Testing
@testable import Report

/// Counts non-overlapping occurrences of `needle`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

@Suite struct HTMLReportTests {
    @Test func singleRunHasTheLanesBarsAndSections() throws {
        let html = try Report.render(directory: Fixtures.smallRun().path)
        #expect(occurrences(of: "<g class=\"lane\">", in: html) == 4)
        #expect(occurrences(of: "<rect class=\"b p", in: html) == 5)
        #expect(occurrences(of: "<rect class=\"b t\"", in: html) == 1)
        // Prefix colours by first appearance: a = p0, sum = p1, b = p2.
        #expect(occurrences(of: "<rect class=\"b p0\"", in: html) == 3)
        #expect(html.contains("<rect class=\"b p1\" data-i=\"3\" x=\"806.452\" y=\"41.5\" width=\"161.29\""))
        for heading in ["Summary", "Lower bounds", "Task stream", "Tasks by state over time", "Workers", "Bytes in flight"] {
            #expect(html.contains(">\(heading)</h"), "missing section \(heading)")
        }
        // Lower bounds: makespan 3.1 against critical path 2.5 (1.24×) and work 5.5 s / 4 threads.
        #expect(html.contains("<td class=\"n\">2.5</td><td class=\"n\">1.24</td>"))
        #expect(html.contains("<td class=\"n\">1.375</td><td class=\"n\">2.255</td>"))
        #expect(html.contains("1 transfers to clients (gathers) are not drawn"))
        #expect(html.contains("1 tasks have no bar"))
        // Hover data: the tuple key is escaped for JSON and safe inside <script>.
        #expect(html.contains("[\"task\",\"('sum-x', 0)\",\"sum\",\"worker-1\",0,2.5,3,8,\"memory\",1]"))
        #expect(html.contains("[\"transfer\",\"a-1, a-2\",\"worker-0\",\"worker-1\",0,2,2.5,200]"))
    }

    @Test func thePageMakesNoNetworkRequest() throws {
        let html = try Report.render(directory: Fixtures.smallRun().path)
        #expect(!html.contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("<script src"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("@import"))
    }

    @Test func keysWithMarkupAreEscaped() throws {
        let folder = try Fixtures.folder()
        try Fixtures.write([
            "tasks.csv": "key,prefix,worker,start,end\n\"</script><b>x\",p,worker-0,0,1\n",
        ], into: folder)
        let html = try Report.render(directory: folder.path)
        #expect(!html.contains("</script><b>"))
        #expect(html.contains("\\u003c/script\\u003e\\u003cb\\u003ex"))
    }

    @Test func renderingIsDeterministic() throws {
        let folder = try Fixtures.smallRun().path
        #expect(try Report.render(directory: folder) == Report.render(directory: folder))
    }

    @Test func missingOptionalFilesAreNotedAndRequiredOnesNamed() throws {
        let html = try Report.render(directory: Fixtures.smallRun(without: ["transitions.csv", "workers.csv"]).path)
        #expect(html.contains("No transitions.csv."))
        #expect(html.contains("Not in this folder: workers.csv, transitions.csv."))
        let bad = try Fixtures.folder()
        try Fixtures.write(["tasks.csv": "key,prefix,start,end\nx,x,0,1\n"], into: bad)
        do {
            _ = try Report.render(directory: bad.path)
            Issue.record("expected a missing-column error")
        } catch let error as ReportError {
            #expect(error.description.hasSuffix("tasks.csv:1: missing required column 'worker' (header has: key, prefix, start, end)"))
        }
        let badNumber = try Fixtures.smallRun()
        try Fixtures.write(["transfers.csv": "key,from_worker,to_worker,bytes,start,end\na,w,x,1,soon,2\n"], into: badNumber)
        do {
            _ = try Report.render(directory: badNumber.path)
            Issue.record("expected a bad-field error")
        } catch let error as ReportError {
            #expect(error.description.hasSuffix("transfers.csv:2: column 'start': 'soon' is not a number"))
        }
    }

    @Test func writeIsAtomicAndReportsTheSize() throws {
        let folder = try Fixtures.smallRun()
        let output = folder.appendingPathComponent("report.html").path
        let size = try Report.write(directory: folder.path, to: output)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)).count == size)
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
    }

    @Test func largeRunsAreAggregatedAndStaySmall() throws {
        let folder = try Fixtures.generatedRun(count: 50_000, workers: 64, threads: 4)
        let html = try Report.render(directory: folder.path)
        #expect(html.utf8.count < 10_000_000, "report is \(html.utf8.count) bytes")
        #expect(occurrences(of: "<rect class=\"b ", in: html) == 0)
        #expect(occurrences(of: "<path class=\"u\"", in: html) == 256)
        #expect(occurrences(of: "<g class=\"lane\">", in: html) == 256)
        #expect(html.contains("50000 task bars are more than 20000"))
    }

    @Test func belowTheThresholdEveryTaskIsABar() throws {
        let folder = try Fixtures.generatedRun(count: 2_000, workers: 8, threads: 2)
        let html = try Report.render(directory: folder.path, options: ReportOptions(maxBars: 2_000))
        #expect(occurrences(of: "<rect class=\"b p", in: html) == 2_000)
        #expect(occurrences(of: "<rect class=\"b t\"", in: html) == 199)
        #expect(occurrences(of: "<g class=\"lane\">", in: html) == 16)
        let aggregated = try Report.render(directory: folder.path, options: ReportOptions(maxBars: 1_999))
        #expect(occurrences(of: "<rect class=\"b ", in: aggregated) == 0)
    }
}
