"""TF.js graph loader: weight decoding and the rewrite of fused ops, against plain TF ops."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from workers.tfjs.weights import decode_weights

if TYPE_CHECKING:
    from pathlib import Path


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def shape_attr(shape: tuple[int, ...]) -> dict[str, Any]:
    return {"dim": [{"size": str(d)} for d in shape]}


def const(name: str, dtype: str, shape: tuple[int, ...]) -> dict[str, Any]:
    return {"name": name, "op": "Const", "attr": {
        "dtype": {"type": dtype},
        "value": {"tensor": {"dtype": dtype, "tensorShape": shape_attr(shape)}}}}


def quantise(values: np.ndarray, dtype: str) -> tuple[bytes, dict[str, Any], np.ndarray]:
    """Affine-quantise like the TF.js converter; returns bytes, manifest entry, dequantised."""
    levels = 255 if dtype == "uint8" else 65535
    low, high = float(values.min()), float(values.max())
    scale = (high - low) / levels
    q = np.rint((values - low) / scale).astype(np.uint8 if levels == 255 else "<u2")
    spec = {"dtype": dtype, "scale": scale, "min": low, "original_dtype": "float32"}
    return q.tobytes(), spec, (q.astype(np.float32) * np.float32(scale) + np.float32(low))


def test_decode_weights_every_storage() -> None:
    rng = np.random.default_rng(0)
    f32 = rng.normal(size=(2, 3)).astype("<f4")
    f16 = rng.normal(size=(4,)).astype("<f2")
    u8_bytes, u8_spec, u8_values = quantise(rng.normal(size=(5,)).astype(np.float32), "uint8")
    u16_bytes, u16_spec, u16_values = quantise(rng.normal(size=(3,)).astype(np.float32), "uint16")
    i32 = np.array([1, -2, 2**31 - 1], "<i4")
    flags = np.array([True, False, True])
    words = [b"cat", b"", b"\xff\x00"]
    strings = b"".join(len(w).to_bytes(4, "little") + w for w in words)
    blob = (f32.tobytes() + f16.tobytes() + u8_bytes + u16_bytes + i32.tobytes()
            + flags.astype(np.uint8).tobytes() + strings)
    manifest = [{"paths": ["a.bin"], "weights": [
        {"name": "f32", "shape": [2, 3], "dtype": "float32"},
        {"name": "f16", "shape": [4], "dtype": "float32",
         "quantization": {"dtype": "float16", "original_dtype": "float32"}},
        {"name": "u8", "shape": [5], "dtype": "float32", "quantization": u8_spec},
        {"name": "u16", "shape": [3], "dtype": "float32", "quantization": u16_spec},
        {"name": "i32", "shape": [3], "dtype": "int32"},
        {"name": "flags", "shape": [3], "dtype": "bool"},
        {"name": "words", "shape": [3], "dtype": "string"},
    ]}]
    weights = decode_weights(manifest, [blob])
    np.testing.assert_array_equal(weights["f32"], f32)
    assert weights["f16"].dtype == np.float32
    np.testing.assert_array_equal(weights["f16"], f16.astype(np.float32))
    np.testing.assert_allclose(weights["u8"], u8_values, rtol=1e-6)
    np.testing.assert_allclose(weights["u16"], u16_values, rtol=1e-6)
    np.testing.assert_array_equal(weights["i32"], i32)
    np.testing.assert_array_equal(weights["flags"], flags)
    assert weights["words"].tolist() == words
    with pytest.raises(ValueError, match="bytes"):
        decode_weights(manifest, [blob + b"\0"])


def write_model(directory: Path, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A small TF.js graph using every rewrite; returns the dequantised weights."""
    shards: list[bytes] = []
    entries: list[dict[str, Any]] = []
    values: dict[str, np.ndarray] = {}

    def add(name: str, array: np.ndarray, storage: str = "float32") -> None:
        entry: dict[str, Any] = {"name": name, "shape": list(array.shape), "dtype": "float32"}
        if storage == "float32":
            shards.append(array.astype("<f4").tobytes())
            values[name] = array.astype(np.float32)
        elif storage == "float16":
            shards.append(array.astype("<f2").tobytes())
            entry["quantization"] = {"dtype": "float16", "original_dtype": "float32"}
            values[name] = array.astype("<f2").astype(np.float32)
        elif storage == "int64-as-int32":
            shards.append(array.astype("<i4").tobytes())
            entry["dtype"] = "int32"
            values[name] = array.astype(np.int64)
        else:
            data, spec, dequantised = quantise(array.astype(np.float32), storage)
            shards.append(data)
            entry["quantization"] = spec
            values[name] = dequantised
        entries.append(entry)

    add("w1", rng.normal(size=(3, 3, 2, 4)))
    add("b1", rng.normal(size=(4,)), "float16")
    add("alpha1", rng.uniform(0.1, 0.3, size=(4,)), "uint8")
    add("dw", rng.normal(size=(3, 3, 4, 2)), "uint16")
    add("b2", rng.normal(size=(8,)))
    add("shape", np.array([1, 128]), "int64-as-int32")
    add("mw", rng.normal(size=(128, 3)) * 0.1)
    add("mb", rng.normal(size=(3,)))
    conv = {"T": {"type": "DT_FLOAT"}, "strides": {"list": {"i": ["1", "1", "1", "1"]}},
            "padding": {"s": b64("SAME")}, "data_format": {"s": b64("NHWC")},
            "dilations": {"list": {"i": ["1", "1", "1", "1"]}}, "explicit_paddings": {"list": {}},
            "use_cudnn_on_gpu": {"b": True}, "epsilon": {"f": 0}}
    nodes = [
        {"name": "x", "op": "Placeholder",
         "attr": {"dtype": {"type": "DT_FLOAT"}, "shape": {"shape": shape_attr((1, 4, 4, 2))}}},
        const("w1", "DT_FLOAT", (3, 3, 2, 4)), const("b1", "DT_FLOAT", (4,)),
        const("alpha1", "DT_FLOAT", (4,)), const("dw", "DT_FLOAT", (3, 3, 4, 2)),
        const("b2", "DT_FLOAT", (8,)), const("shape", "DT_INT64", (2,)),
        const("mw", "DT_FLOAT", (128, 3)), const("mb", "DT_FLOAT", (3,)),
        {"name": "conv", "op": "_FusedConv2D", "input": ["x", "w1", "b1", "alpha1"],
         "device": "/device:CPU:0",
         "attr": {**conv, "num_args": {"i": "2"},
                  "fused_ops": {"list": {"s": [b64("BiasAdd"), b64("Prelu")]}}}},
        {"name": "depthwise", "op": "FusedDepthwiseConv2dNative", "input": ["conv", "dw", "b2"],
         "attr": {**conv, "num_args": {"i": "1"},
                  "fused_ops": {"list": {"s": [b64("BiasAdd"), b64("Relu6")]}}}},
        {"name": "flat", "op": "Reshape", "input": ["depthwise", "shape"],
         "attr": {"T": {"type": "DT_FLOAT"}, "Tshape": {"type": "DT_INT64"}}},
        {"name": "out", "op": "_FusedMatMul", "input": ["flat", "mw", "mb"],
         "attr": {"T": {"type": "DT_FLOAT"}, "transpose_a": {"b": False},
                  "transpose_b": {"b": False}, "num_args": {"i": "1"},
                  "leakyrelu_alpha": {"f": 0.2},
                  "fused_ops": {"list": {"s": [b64("BiasAdd"), b64("LeakyRelu")]}}}},
    ]
    (directory / "tiny.bin").write_bytes(b"".join(shards))
    model = {"format": "graph-model",
             "modelTopology": {"node": nodes, "library": {}, "versions": {"producer": 1474}},
             "weightsManifest": [{"paths": ["tiny.bin"], "weights": entries}],
             "signature": {"inputs": {"x": {"name": "x"}}, "outputs": {"out": {"name": "out"}}}}
    (directory / "tiny.json").write_text(json.dumps(model))
    return values


def test_fused_ops_rewritten_to_plain_ops(tmp_path: Path) -> None:
    import tensorflow as tf

    from workers.tfjs.model import GraphModel

    rng = np.random.default_rng(1)
    w = write_model(tmp_path, rng)
    model = GraphModel.load(tmp_path / "tiny.json")
    assert model.inputs == ["x:0"] and model.outputs == ["out:0"]
    x = rng.normal(size=(1, 4, 4, 2)).astype(np.float32)
    (got,) = model(x)

    # The same network written with plain TensorFlow ops.
    h = tf.nn.conv2d(x, w["w1"], 1, "SAME") + w["b1"]
    h = tf.nn.relu(h) - w["alpha1"] * tf.nn.relu(-h)
    h = tf.nn.relu6(tf.nn.depthwise_conv2d(h, w["dw"], [1, 1, 1, 1], "SAME") + w["b2"])
    h = tf.reshape(h, w["shape"])
    want = tf.nn.leaky_relu(tf.matmul(h, w["mw"]) + w["mb"], alpha=0.2).numpy()
    assert got.shape == (1, 3)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
