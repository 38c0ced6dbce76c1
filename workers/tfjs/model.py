"""Load a TF.js graph model (``model.json`` + ``.bin`` shards) as a callable TensorFlow function.

    model = GraphModel.load(Path(".models/centernet.json"), outputs=["tower_0/detections"])
    (detections,) = model(batch)  # numpy in, numpy out
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import tensorflow as tf

from workers.tfjs.graph import build_graph_def
from workers.tfjs.weights import read_weights

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tensorflow.core.framework import graph_pb2

__all__ = ["GraphModel"]


def _tensor_name(name: str) -> str:
    return name if ":" in name else f"{name}:0"


class GraphModel:
    """A frozen graph pruned to fixed inputs and outputs; call it with numpy arrays."""

    def __init__(
        self, graph_def: graph_pb2.GraphDef, inputs: Sequence[str], outputs: Sequence[str]
    ) -> None:
        self.inputs = [_tensor_name(n) for n in inputs]
        self.outputs = [_tensor_name(n) for n in outputs]

        def _import() -> None:
            tf.compat.v1.import_graph_def(graph_def, name="")

        wrapped = tf.compat.v1.wrap_function(_import, [])
        graph = wrapped.graph
        self._fn = wrapped.prune(
            feeds=[graph.get_tensor_by_name(n) for n in self.inputs],
            fetches=[graph.get_tensor_by_name(n) for n in self.outputs],
        )

    @classmethod
    def load(
        cls,
        model_json: Path,
        inputs: Sequence[str] | None = None,
        outputs: Sequence[str] | None = None,
    ) -> GraphModel:
        """Read ``model_json`` and its shards; inputs/outputs default to the model's signature."""
        spec: dict[str, Any] = json.loads(model_json.read_text())
        if spec.get("format") not in (None, "graph-model"):
            msg = f"{model_json} is a {spec.get('format')!r}, not a TF.js graph model"
            raise ValueError(msg)
        weights = read_weights(spec["weightsManifest"], model_json.parent)
        graph_def = build_graph_def(spec["modelTopology"], weights)
        signature = spec.get("signature", {})
        return cls(
            graph_def,
            inputs if inputs is not None else list(signature.get("inputs", {})),
            outputs if outputs is not None else list(signature.get("outputs", {})),
        )

    def __call__(self, *arrays: np.ndarray) -> list[np.ndarray]:
        # The pruned function wants tensors, not numpy arrays.
        results = self._fn(*(tf.convert_to_tensor(a) for a in arrays))
        return [np.asarray(r) for r in results]
