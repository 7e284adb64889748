"""A quiet start for `python -m kerasgan`, the main example.

TensorFlow's C++ code writes INFO and ERROR lines to the terminal when it
loads (some before any log setting is read) and while it optimizes graphs:
harmless on a CPU, alarming to a first-time user. When kerasgan is launched
as `python -m kerasgan`, and only then, `kerasgan/__init__.py` imports Keras
inside `quiet_native_stderr()`. Importing kerasgan as a library changes
nothing.
"""

import contextlib
import os
import sys
import tempfile


def launched_as_main():
    """Whether this process is `python -m kerasgan` importing the package."""
    argv = list(getattr(sys, "orig_argv", ()))
    # While `-m` locates the module, sys.argv[0] is "-m".
    return sys.argv[:1] == ["-m"] and (
        ("-m", "kerasgan") in zip(argv, argv[1:]) or "-mkerasgan" in argv
    )


@contextlib.contextmanager
def quiet_native_stderr():
    """Sets TF_CPP_MIN_LOG_LEVEL=3 (unless set) and holds back what is
    written to the stderr file descriptor in the block, showing it only if
    the block fails."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        failed = True
        try:
            yield
            failed = False
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            if failed:
                held.seek(0)
                sys.stderr.write(held.read().decode(errors="replace"))
