class ConflictError(Exception):
    """Someone else already made this change, or the thing is no longer in a state to change.

    The message says who and when where we know, and is shown to the person as it is.
    """
