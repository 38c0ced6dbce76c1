"""Open a library file only if it really lives inside the library's folders, at read time.

A photo can be replaced by a symlink (or one of its folders by a link to elsewhere) at any
moment; checking at scan time is not enough. ``open_inside`` resolves the path, opens the
resolved file with ``O_NOFOLLOW`` (no link can be swapped in for the last component), then
asks the kernel where the open descriptor lives and refuses it unless that is inside one of
``roots``. Links that stay inside the roots are followed. Plain stdlib: the server (media
route, importer) and the worker processes (hashing, decoding) both use it.

    fd = open_inside(["/photos"], "/photos/2024/a.jpg")   # raises OutsideLibrary
    with os.fdopen(fd, "rb") as f: ...
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable

__all__ = ["OutsideLibrary", "is_inside", "open_inside", "real_roots", "resolves_inside"]

_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class OutsideLibrary(PermissionError):
    """The file is (or resolves through) a link leaving the library's folders.

    Built by ``_outside`` with the plain OSError arguments, so it pickles across the worker
    pool like any OSError.
    """


def _outside(path: str) -> OutsideLibrary:
    return OutsideLibrary(errno.EACCES, "not inside the library's folders", path)


def real_roots(roots: Iterable[str]) -> list[str]:
    """Blocking: each root with its links resolved (a root may itself be a link)."""
    return [os.path.realpath(r) for r in roots]


def is_inside(real_path: str, resolved_roots: Iterable[str]) -> bool:
    """Whether an already-resolved path is one of the resolved roots or below one."""
    return any(real_path == r or real_path.startswith(r.rstrip(os.sep) + os.sep)
               for r in resolved_roots)


def resolves_inside(path: str, roots: Iterable[str]) -> bool:
    """Blocking: whether ``path``, every link followed, ends inside one of ``roots``."""
    return is_inside(os.path.realpath(path), real_roots(roots))


def _where(fd: int, resolved: str) -> str:
    """Where the open descriptor's file lives now (the kernel's view, not the path's)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        # No /proc: accept the resolved path only if it is still the very file we opened.
        here, there = os.fstat(fd), os.stat(resolved, follow_symlinks=False)
        if (here.st_dev, here.st_ino) != (there.st_dev, there.st_ino):
            raise _outside(resolved) from None
        return resolved


def open_inside(roots: Iterable[str], path: str) -> int:
    """Blocking: a read-only descriptor of the regular file ``path``, or ``OutsideLibrary``.

    The caller owns (and closes) the descriptor. Missing files raise ``FileNotFoundError``
    as ``open`` would.
    """
    resolved_roots = real_roots(roots)
    resolved = os.path.realpath(path)
    if not is_inside(resolved, resolved_roots):
        raise _outside(path)
    try:
        fd = os.open(resolved, _FLAGS)
    except OSError as error:
        if error.errno == errno.ELOOP:  # swapped for a link since realpath
            raise _outside(path) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or device would hang or leak
            raise _outside(path)
        if not is_inside(_where(fd, resolved), resolved_roots):
            raise _outside(path)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd
