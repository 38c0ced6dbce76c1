"""The rescan's ordered walk of a real folder and its merge with what the library knows."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest

from photonix_rt.services.importer import _is_candidate
from photonix_rt.services.rescan import (
    FileStat,
    Kind,
    Skipped,
    Unlisted,
    count_candidates,
    merge,
    walk_sorted,
)
from photonix_rt.store.file_ranges import KnownStat

# Names whose order differs between byte ("C") order and a locale's, or between sorting a
# folder's names and sorting whole paths ("a-b.jpg" < "a/x.jpg" as paths, "a" < "a-b.jpg"
# as names).
TRICKY = ["a-b.jpg", "a/x.jpg", "a b/y.jpg", "a.b/z.jpg", "B.jpg", "a.jpg", "É.jpg", "f.jpg",
          "z/ü.jpg", "zz.jpg", "日本/写真.jpg", "IMG_10.jpg", "IMG_9.jpg", "Zebra.JPG",
          "deep/er/still/x.png", "deep-er.jpg", "deep.jpg"]


def _make(root: Path, names: Iterable[str]) -> list[str]:
    paths = []
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())
        paths.append(str(path))
    return paths


def test_walk_yields_whole_paths_in_byte_order(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    expected = _make(root, TRICKY)
    _make(root, [".hidden/h.jpg", "notes.txt", ".dot.jpg"])  # never candidates
    outside = tmp_path / "elsewhere"
    _make(outside, ["secret.jpg", "folder/inner.jpg"])
    os.symlink(outside / "secret.jpg", root / "link-out.jpg")  # leads out: left out
    os.symlink(outside / "folder", root / "linked-folder")  # folder links: not walked into
    os.symlink(root / "f.jpg", root / "link-in.jpg")  # stays inside: a file like any other
    expected.append(str(root / "link-in.jpg"))

    walked = list(walk_sorted(str(root), [str(root)], _is_candidate))

    assert all(isinstance(item, FileStat) for item in walked)
    paths = [item.path for item in walked]  # type: ignore[union-attr]
    assert paths == sorted(expected, key=lambda p: p.encode("utf-8"))
    assert paths == sorted(expected)  # code point order is byte order
    assert count_candidates(str(root), _is_candidate) == len(expected) + 1  # + the link out
    stat = os.stat(root / "f.jpg")
    f = next(i for i in walked if i.path == str(root / "f.jpg"))  # type: ignore[union-attr]
    assert (f.size, f.mtime_ns) == (stat.st_size, stat.st_mtime_ns)  # type: ignore[union-attr]


def test_walk_of_one_file_and_of_a_gone_folder(tmp_path: Path) -> None:
    [one] = _make(tmp_path, ["one.jpg"])
    assert [i.path for i in walk_sorted(one, [str(tmp_path)], _is_candidate)] == [one]  # type: ignore[union-attr]
    assert list(walk_sorted(str(tmp_path / "gone"), [str(tmp_path)], _is_candidate)) == []


def test_walk_reports_names_that_cannot_be_recorded(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "ok.jpg").write_bytes(b"x")
    os.close(os.open(os.fsencode(root) + b"/bad-\xff.jpg", os.O_CREAT | os.O_WRONLY))
    walked = list(walk_sorted(str(root), [str(root)], _is_candidate))
    assert [type(i) for i in walked] == [Skipped, FileStat]
    assert "UTF-8" in walked[0].reason  # type: ignore[union-attr]


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder")
def test_walk_reports_a_folder_it_cannot_list(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    _make(root, ["a.jpg", "locked/b.jpg", "z.jpg"])
    (root / "locked").chmod(0)
    try:
        walked = list(walk_sorted(str(root), [str(root)], _is_candidate))
    finally:
        (root / "locked").chmod(0o755)
    assert walked[1] == Unlisted(str(root / "locked") + "/")
    assert [type(i) for i in walked] == [FileStat, Unlisted, FileStat]


# ---- the merge ---------------------------------------------------------------------------

def _known(path: str, size: int = 1, mtime: int = 1, status: str = "ok") -> KnownStat:
    return KnownStat(path, size, mtime, status)


async def _items(values: Iterable) -> AsyncIterator:  # type: ignore[type-arg]
    for value in values:
        yield value


async def _merged(disk: list, known: list[KnownStat]) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(c.kind.value, c.path) async for c in merge(_items(disk), _items(known))]


async def test_merge_new_changed_unchanged_vanished() -> None:
    disk = [FileStat("/l/a.jpg", 1, 1), FileStat("/l/b.jpg", 2, 1), FileStat("/l/c.jpg", 1, 9),
            FileStat("/l/e.jpg", 1, 1), FileStat("/l/g.jpg", 1, 1)]
    known = [_known("/l/0.jpg"), _known("/l/a.jpg"), _known("/l/b.jpg"), _known("/l/c.jpg"),
             _known("/l/d.jpg"), _known("/l/d2.jpg", status="missing"),
             _known("/l/g.jpg", status="missing"), _known("/l/h.jpg"), _known("/l/i.jpg")]
    assert await _merged(disk, known) == [
        ("vanished", "/l/0.jpg"),
        ("unchanged", "/l/a.jpg"),
        ("changed", "/l/b.jpg"),       # size differs
        ("changed", "/l/c.jpg"),       # mtime differs
        ("vanished", "/l/d.jpg"),      # d2 was missing already: not reported again
        ("new", "/l/e.jpg"),
        ("changed", "/l/g.jpg"),       # back after being missing
        ("vanished", "/l/h.jpg"),
        ("vanished", "/l/i.jpg"),
    ]


async def test_merge_of_empty_sides() -> None:
    assert await _merged([], []) == []
    assert await _merged([FileStat("/l/a", 1, 1)], []) == [("new", "/l/a")]
    assert await _merged([], [_known("/l/a")]) == [("vanished", "/l/a")]


async def test_merge_passes_over_what_an_unlisted_folder_hides() -> None:
    disk = [FileStat("/l/a.jpg", 1, 1), Unlisted("/l/locked/"), FileStat("/l/z.jpg", 1, 1),
            Skipped("/l/\udcff.jpg", "file name is not valid UTF-8")]
    known = [_known("/l/a.jpg"), _known("/l/b.jpg"), _known("/l/locked/1.jpg"),
             _known("/l/locked/sub/2.jpg"), _known("/l/locked2.jpg"), _known("/l/z.jpg")]
    assert await _merged(disk, known) == [
        ("unchanged", "/l/a.jpg"),
        ("vanished", "/l/b.jpg"),
        ("vanished", "/l/locked2.jpg"),  # a sibling whose name starts alike is not hidden
        ("unchanged", "/l/z.jpg"),
        ("skipped", "/l/\udcff.jpg"),
    ]
    assert Kind.SKIPPED.value == "skipped"


async def test_merge_agrees_with_the_walk_on_tricky_names(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    paths = _make(root, TRICKY)
    stats = {p: os.stat(p) for p in paths}
    # The library knows every file in byte order (as the database returns them), one of
    # them with an older mtime, and one that is gone.
    known = sorted([_known(p, stats[p].st_size, stats[p].st_mtime_ns) for p in paths]
                   + [_known(str(root / "a/gone.jpg"))], key=lambda k: k.path)
    known = [_known(k.path, k.size, 5) if k.path.endswith("É.jpg") else k for k in known]
    walked = walk_sorted(str(root), [str(root)], _is_candidate)
    result = await _merged(list(walked), known)
    assert sorted(result) == sorted(
        [("unchanged", p) for p in paths if not p.endswith("É.jpg")]
        + [("changed", str(root / "É.jpg")), ("vanished", str(root / "a/gone.jpg"))])
