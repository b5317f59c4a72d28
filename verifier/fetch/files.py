"""Bounded reads of local files (the article, `--source` files, allowed local links).

Every local read in the verifier goes through `read_local`:

* only regular files are read: devices (`/dev/zero`, `/dev/random`), FIFOs and sockets are
  refused before a byte is read, and the open never blocks (a FIFO with no writer would hang);
* the read stops at `max_bytes` (the same cap as an HTTP body): a 50 MB draft or a file that
  grows while it is read never fills memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from verifier.errors import InputError

DEFAULT_MAX_BYTES = 5_000_000  # the same cap as an HTTP body (verifier.fetch.client.FetchConfig.max_bytes)

__all__ = ["DEFAULT_MAX_BYTES", "LocalReadError", "human_size", "read_local", "special_file"]


class LocalReadError(InputError):
    """A local file that cannot be read; `kind` is missing | directory | special | too_large | denied | os."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def human_size(n: int) -> str:
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def special_file(mode: int) -> str | None:
    """What a non-regular, non-directory file is ("a device", "a FIFO", "a socket"), else None."""
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return "not a regular file"
    return None


def read_local(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, float]:
    """(content, mtime) of a regular file, at most `max_bytes` long. Raises LocalReadError."""
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags)
    except FileNotFoundError:
        raise LocalReadError(f"file not found: {name}", "missing") from None
    except IsADirectoryError:
        raise LocalReadError(f"is a directory: {name}", "directory") from None
    except PermissionError:
        raise LocalReadError(f"permission denied: {name}", "denied") from None
    except OSError as exc:
        raise LocalReadError(f"cannot read {name}: {exc.strerror or exc}", "os") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise LocalReadError(f"is a directory: {name}", "directory")
        what = special_file(st.st_mode)
        if what:
            raise LocalReadError(f"{name} is {what}, not a regular file: not read", "special")
        too_large = LocalReadError(
            f"{name} is too large (over the {human_size(max_bytes)} limit; --max-size raises it)", "too_large"
        )
        if st.st_size > max_bytes:
            raise too_large
        chunks: list[bytes] = []
        got = 0
        while True:  # read to EOF but never past the cap: the file may grow while we read
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if got > max_bytes:
                raise too_large
        return b"".join(chunks), st.st_mtime
    except OSError as exc:
        raise LocalReadError(f"cannot read {name}: {exc.strerror or exc}", "os") from None
    finally:
        os.close(fd)
