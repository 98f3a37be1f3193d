import Testing
@testable import schedsim

/// `run` and `validate` start every process themselves and share a fresh secret by default.
@Suite struct TokenTests {
    @Test func randomTokenIs32HexDigitsAndFresh() {
        let a = randomToken()
        let b = randomToken()
        #expect(a.count == 32)
        #expect(a.allSatisfy { "0123456789abcdef".contains($0) }, "\(a)")
        #expect(b.count == 32)
        #expect(a != b)
    }
}
