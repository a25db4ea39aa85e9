"""The one exception type a user is meant to see.

Anything the user can get wrong (a config key, a file, a shape) raises ``UserError`` with a
message that names the problem and what is valid. The CLI turns it into one line on stderr and
exit code 2; everything else is a bug and keeps its traceback.
"""


class UserError(ValueError):
    """Bad input from the user: a clear one-line message, never a traceback."""
