import Testing
@testable import Report

@Suite struct CSVTableTests {
    func parse(_ text: String) throws -> CSVTable { try CSVTable(parsing: Array(text.utf8), file: "t.csv") }

    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let table = try parse("key,n\n\"('sum-x', 0)\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n")
        #expect(table.header == ["key", "n"])
        #expect(table.rows == [["('sum-x', 0)", "1"], ["say \"hi\"", "2"], ["two\nlines", "3"]])
        #expect(table.lines == [2, 3, 4])
    }

    @Test func crlfLineEndsAndAMissingFinalNewline() throws {
        let table = try parse("a,b\r\n1,2\r\n3,")
        #expect(table.rows == [["1", "2"], ["3", ""]])
    }

    @Test func emptyFieldsAreNil() throws {
        let table = try parse("start,end,extra\n1.5,,\n")
        #expect(try table.double(row: 0, column: 0) == 1.5)
        #expect(try table.double(row: 0, column: 1) == nil)
        #expect(table.rows[0] == ["1.5", "", ""])
    }

    /// Issue 18: a short row (a file cut off mid-line) used to be padded with empty
    /// fields and drawn; it is refused with its line, as is a repeated column.
    @Test func shortRowsAndRepeatedColumnsAreRefused() {
        #expect(throws: ReportError.malformed(file: "t.csv", line: 2, reason: "2 fields but the header has 3")) {
            try parse("start,end,extra\n1.5,\n2,3,4\n")
        }
        #expect(throws: ReportError.malformed(file: "t.csv", line: 3, reason: "1 field but the header has 3 (the file ends mid-line: truncated?)")) {
            try parse("a,b,c\n1,2,3\n4")
        }
        #expect(throws: ReportError.malformed(file: "t.csv", line: 1, reason: "column 'a' appears twice in the header")) {
            try parse("a,b,a\n1,2,3\n")
        }
    }

    @Test func missingColumnNamesFileAndHeader() throws {
        let table = try parse("key,prefix\nx,y\n")
        #expect(throws: ReportError.missingColumn(file: "t.csv", column: "worker", header: ["key", "prefix"])) {
            try table.column("worker")
        }
        let message = ReportError.missingColumn(file: "t.csv", column: "worker", header: ["key", "prefix"]).description
        #expect(message == "t.csv:1: missing required column 'worker' (header has: key, prefix)")
    }

    @Test func badNumberNamesLineAndColumn() throws {
        let table = try parse("key,bytes\na,1\nb,lots\n")
        #expect(throws: ReportError.badField(file: "t.csv", line: 3, column: "bytes", value: "lots", expected: "a whole number")) {
            try table.integer(row: 1, column: 1)
        }
    }

    @Test func malformedTextIsAnErrorNotACrash() {
        #expect(throws: ReportError.malformed(file: "t.csv", line: 2, reason: "a quoted field is never closed")) {
            try parse("a\n\"open\n")
        }
        #expect(throws: ReportError.malformed(file: "t.csv", line: 2, reason: "3 fields but the header has 2")) {
            try parse("a,b\n1,2,3\n")
        }
        #expect(throws: ReportError.malformed(file: "t.csv", line: 1, reason: "the file is empty (no header row)")) {
            try parse("")
        }
        #expect(throws: ReportError.malformed(file: "t.csv", line: 2, reason: "a quote inside an unquoted field")) {
            try parse("a\nx\"y\n")
        }
    }

    @Test func extraColumnsAreTolerated() throws {
        let table = try parse("key,prefix,worker,start,end,new_column\nx,x,worker-0,0,1,whatever\n")
        let tasks = try RunLogs.loadTasks(table)
        #expect(tasks == [TaskRecord(key: "x", prefix: "x", worker: "worker-0", start: 0, end: 1)])
    }
}
