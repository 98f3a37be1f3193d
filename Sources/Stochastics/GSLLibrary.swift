import CGSL

/// Facts about the GNU Scientific Library this build links against, and its
/// one-time set-up.
public enum GSLLibrary {
    /// The linked GSL version, e.g. "2.7.1". Random streams are only promised to
    /// be identical across machines that link the same GSL version (and the
    /// same algorithms inside `gsl_ran_*`), so run records should include it.
    public static var version: String {
        String(cString: schedsim_gsl_version())
    }

    /// Makes sure GSL's default error handler is off before GSL is used.
    ///
    /// The default handler calls `abort()` on any domain error; with it off,
    /// GSL functions report errors through their return values instead, which
    /// this module checks. A global `let` is initialised exactly once, lazily
    /// and thread-safely by the Swift runtime, so calling this from many
    /// threads is fine and costs one atomic load after the first call.
    static func prepare() {
        _ = errorHandlerDisabled
    }
}

/// Runs `gsl_set_error_handler_off()` the first time it is read.
private let errorHandlerDisabled: Bool = {
    _ = gsl_set_error_handler_off()
    return true
}()
