"""Turn a TF.js graph model's topology and weights into a frozen TensorFlow ``GraphDef``.

TF.js converters fuse ops in ways TensorFlow cannot import (``FusedDepthwiseConv2dNative``
exists only in TF.js; ``_FusedConv2D``/``_FusedMatMul`` lack attributes TF's kernels need), so
fused nodes are rewritten into plain conv/matmul + bias + activation nodes that keep the fused
node's name, and attributes the op does not declare are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tensorflow as tf
from google.protobuf import json_format
from tensorflow.core.framework import attr_value_pb2, graph_pb2, node_def_pb2
from tensorflow.python.framework import op_def_registry

if TYPE_CHECKING:
    import numpy as np

__all__ = ["build_graph_def"]

_CONV_ATTRS = ("T", "strides", "padding", "explicit_paddings", "data_format", "dilations")
_MATMUL_ATTRS = ("T", "transpose_a", "transpose_b")
# Fused activation -> plain TensorFlow op (Prelu and LeakyRelu are handled apart).
_ACTIVATIONS = {"Relu": "Relu", "Relu6": "Relu6", "Elu": "Elu", "Selu": "Selu",
                "Sigmoid": "Sigmoid", "Tanh": "Tanh"}


def _node(name: str, op: str, inputs: list[str], attrs: dict[str, Any]) -> node_def_pb2.NodeDef:
    node = node_def_pb2.NodeDef(name=name, op=op, input=inputs)
    for key, value in attrs.items():
        node.attr[key].CopyFrom(value)
    return node


def _type_attr(dtype: int) -> attr_value_pb2.AttrValue:
    return attr_value_pb2.AttrValue(type=dtype)


def _activation(
    name: str, kind: str, x: str, extra: list[str], fused: node_def_pb2.NodeDef
) -> list[node_def_pb2.NodeDef]:
    """Nodes applying activation ``kind`` to ``x``; the last one is called ``name``."""
    t = {"T": fused.attr["T"]}
    if kind in _ACTIVATIONS:
        return [_node(name, _ACTIVATIONS[kind], [x], t)]
    if kind == "LeakyRelu":
        alpha = attr_value_pb2.AttrValue(f=fused.attr["leakyrelu_alpha"].f)
        return [_node(name, "LeakyRelu", [x], {**t, "alpha": alpha})]
    if kind == "Prelu":
        # prelu(x) = relu(x) - alpha * relu(-x); TensorFlow has no Prelu kernel.
        return [
            _node(f"{name}/pos", "Relu", [x], t),
            _node(f"{name}/neg_in", "Neg", [x], t),
            _node(f"{name}/neg", "Relu", [f"{name}/neg_in"], t),
            _node(f"{name}/scaled", "Mul", [extra[0], f"{name}/neg"], t),
            _node(name, "Sub", [f"{name}/pos", f"{name}/scaled"], t),
        ]
    msg = f"unsupported fused activation {kind!r} in {fused.name!r}"
    raise ValueError(msg)


def _unfuse(fused: node_def_pb2.NodeDef) -> list[node_def_pb2.NodeDef]:
    """Rewrite one fused conv/matmul node as plain nodes ending in a node of the same name."""
    ops = [s.decode() for s in fused.attr["fused_ops"].list.s]
    x, w, args = fused.input[0], fused.input[1], list(fused.input[2:])
    if fused.op == "_FusedMatMul":
        base_op, keep = "MatMul", _MATMUL_ATTRS
    elif fused.op == "_FusedConv2D":
        base_op, keep = "Conv2D", _CONV_ATTRS
    else:  # FusedDepthwiseConv2dNative
        base_op, keep = "DepthwiseConv2dNative", _CONV_ATTRS
    attrs = {k: fused.attr[k] for k in keep if k in fused.attr}
    nodes = [_node(f"{fused.name}/unfused", base_op, [x, w], attrs)]
    last = nodes[0].name
    rest = ops
    if ops and ops[0] == "BiasAdd":
        bias_attrs = {"T": fused.attr["T"]}
        if "data_format" in fused.attr and base_op != "MatMul":
            bias_attrs["data_format"] = fused.attr["data_format"]
        nodes.append(_node(f"{fused.name}/bias", "BiasAdd", [last, args[0]], bias_attrs))
        last, rest, args = nodes[-1].name, ops[1:], args[1:]
    elif ops and ops[0] == "FusedBatchNorm":
        scale, offset, mean, var = args[:4]
        bn_attrs = {"T": fused.attr["T"], "U": fused.attr["T"], "epsilon": fused.attr["epsilon"],
                    "is_training": attr_value_pb2.AttrValue(b=False)}
        if "data_format" in fused.attr:
            bn_attrs["data_format"] = fused.attr["data_format"]
        nodes.append(_node(f"{fused.name}/bn", "FusedBatchNormV3",
                           [last, scale, offset, mean, var], bn_attrs))
        last, rest, args = nodes[-1].name, ops[1:], args[4:]
    if len(rest) > 1:
        msg = f"unsupported fused ops {ops!r} in {fused.name!r}"
        raise ValueError(msg)
    if rest:
        nodes += _activation(fused.name, rest[0], last, args, fused)
    else:
        nodes[-1].name = fused.name
    return nodes


def _has_inline_value(node: node_def_pb2.NodeDef) -> bool:
    t = node.attr["value"].tensor
    return bool(t.tensor_content or t.float_val or t.int_val or t.int64_val or t.string_val
                or t.bool_val or t.half_val or t.double_val)


def _drop_unknown_attrs(node: node_def_pb2.NodeDef) -> None:
    op_def = op_def_registry.get(node.op)
    if op_def is None:
        msg = f"op {node.op!r} of node {node.name!r} is unknown to TensorFlow"
        raise ValueError(msg)
    declared = {a.name for a in op_def.attr}
    for key in list(node.attr):
        if key not in declared:
            del node.attr[key]


def build_graph_def(topology: dict[str, Any], weights: dict[str, np.ndarray]) -> graph_pb2.GraphDef:
    """Return a frozen GraphDef: ``Const`` nodes filled from ``weights``, fused ops rewritten."""
    source = json_format.ParseDict(topology, graph_pb2.GraphDef(), ignore_unknown_fields=True)
    graph = graph_pb2.GraphDef()
    graph.versions.CopyFrom(source.versions)
    graph.library.CopyFrom(source.library)
    for node in source.node:
        node.ClearField("device")  # converters pin CPU:0; let TensorFlow place ops
        if node.op in ("_FusedConv2D", "FusedDepthwiseConv2dNative", "_FusedMatMul"):
            graph.node.extend(_unfuse(node))
            continue
        if node.op == "Const" and node.name in weights:
            dtype = tf.as_dtype(node.attr["dtype"].type)
            # TF.js stores int64 constants as int32; the node must keep its declared int64.
            value = weights[node.name].astype(dtype.as_numpy_dtype, copy=False)
            node.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(value, dtype=dtype))
        elif node.op == "Const" and not _has_inline_value(node):
            msg = f"constant {node.name!r} has no value in the weights manifest"
            raise ValueError(msg)
        graph.node.append(node)
    for node in graph.node:
        _drop_unknown_attrs(node)
    return graph
