"""The verifier's exception tree: what went wrong, and so which exit code the CLI gives.

    VerifierError                 anything the verifier raises on purpose
    └── UsageError                the run cannot go ahead as asked: one line on stderr, exit 2
        ├── InputError            an input (article, file, directory, stdin) cannot be read
        ├── OptionError           a command-line option has a bad value
        ├── ConfigError           a settings file (policy, server config, outlet registry) cannot be used
        └── GateError             `verifier check` as a whole cannot run (no git for --changed-only, ...)

Every message is one human-readable line that names what to fix. The classes that predate this tree
keep their names where they were defined (`verifier.read.reader.InputError`,
`verifier.gate.policy.ConfigError`, `verifier.cli.options.OptionError`, `verifier.gate.GateError`,
`verifier.fetch.files.LocalReadError`, `verifier.fetch.store.StoreError`,
`verifier.registry.RegistryError`, `verifier.audit.AuditError`): they are these classes or
subclasses of them. Only `verifier.cli.app` turns a class into an exit code.

This module imports nothing from the verifier, so every stage can raise these.
"""

from __future__ import annotations

__all__ = ["ConfigError", "GateError", "InputError", "OptionError", "UsageError", "VerifierError"]


class VerifierError(Exception):
    """Base of every error the verifier raises on purpose (anything else is a bug: exit 3)."""


class UsageError(VerifierError):
    """The run cannot go ahead as asked; the message (one line) says why. Exit code 2."""


class InputError(UsageError):
    """An input cannot be read: the article, a file, a directory, stdin. The message is one
    human-readable line."""


class OptionError(UsageError, ValueError):
    """A bad option value (a ValueError too, as it always was)."""


class ConfigError(UsageError, ValueError):
    """A settings file that cannot be used; the message names the file and the key (a ValueError
    too, as it always was)."""


class GateError(UsageError):
    """A usage or input problem for a whole `verifier check` run (per-file problems are reported
    in the result instead)."""
