"""The command line: a thin layer over the library (`verifier.pipeline`, `verifier.gate`, ...).

    verifier article story.md --source Guardian=https://…
"""

from verifier.cli.app import app, main

__all__ = ["app", "main"]
