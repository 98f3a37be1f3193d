"""The one error type of the bridge: a message for the user, and a non-zero exit."""


class BridgeError(Exception):
    """A problem with the user's input or environment, already phrased for the user.

    The command line prints ``str(error)`` to stderr and exits with status 2;
    it never prints a traceback for these.
    """
