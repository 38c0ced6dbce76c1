"""Decode the weights of a TF.js graph model (``weightsManifest`` + ``.bin`` shards) to numpy.

Pure numpy, no TensorFlow: usable by an installer to check a model before any worker loads it.

    manifest = json.loads(Path("centernet.json").read_text())["weightsManifest"]
    weights = read_weights(manifest, Path("."))  # {"tower_0/...": ndarray, ...}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["decode_weights", "read_weights"]

# TF.js manifest dtype -> numpy dtype as stored (little-endian).
_STORED: dict[str, np.dtype[Any]] = {
    "float32": np.dtype("<f4"),
    "int32": np.dtype("<i4"),
    "bool": np.dtype("u1"),
    "uint8": np.dtype("u1"),
    "uint16": np.dtype("<u2"),
    "float16": np.dtype("<f2"),
}


def _decode_one(spec: dict[str, Any], data: memoryview) -> tuple[np.ndarray, int]:
    """Decode one manifest entry from the start of ``data``; return the array and bytes used."""
    shape = tuple(int(d) for d in spec.get("shape", []))
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    dtype = spec["dtype"]
    if dtype == "string":
        # Each element: uint32 little-endian byte length, then the bytes.
        items: list[bytes] = []
        offset = 0
        for _ in range(count):
            length = int.from_bytes(data[offset : offset + 4], "little")
            items.append(bytes(data[offset + 4 : offset + 4 + length]))
            offset += 4 + length
        return np.array(items, dtype=object).reshape(shape), offset
    quant = spec.get("quantization")
    stored = _STORED[quant["dtype"]] if quant else _STORED.get(dtype)
    if stored is None:
        msg = f"unsupported weight dtype {dtype!r} for {spec.get('name')!r}"
        raise ValueError(msg)
    nbytes = count * stored.itemsize
    raw = np.frombuffer(data[:nbytes], dtype=stored, count=count)
    if quant is None:
        values = raw.astype(bool) if dtype == "bool" else raw.copy()
    elif quant["dtype"] == "float16":
        values = raw.astype(np.float32)  # float16 storage only halves the file: widen
    else:
        # uint8/uint16 affine quantisation: value = q * scale + min.
        values = raw.astype(np.float32) * np.float32(quant["scale"]) + np.float32(quant["min"])
        if dtype == "int32":
            values = np.rint(values).astype(np.int32)
    return values.reshape(shape), nbytes


def decode_weights(manifest: list[dict[str, Any]], shards: list[bytes]) -> dict[str, np.ndarray]:
    """Decode every weight group; ``shards`` holds each group's concatenated shard bytes."""
    weights: dict[str, np.ndarray] = {}
    for group, blob in zip(manifest, shards, strict=True):
        view = memoryview(blob)
        offset = 0
        for spec in group["weights"]:
            array, used = _decode_one(spec, view[offset:])
            weights[spec["name"]] = array
            offset += used
        if offset != len(blob):
            msg = f"weights use {offset} bytes but shards {group['paths']} hold {len(blob)}"
            raise ValueError(msg)
    return weights


def read_weights(manifest: list[dict[str, Any]], directory: Path) -> dict[str, np.ndarray]:
    """Read the shard files named by ``manifest`` from ``directory`` and decode them."""
    shards = [b"".join((directory / p).read_bytes() for p in group["paths"]) for group in manifest]
    return decode_weights(manifest, shards)
