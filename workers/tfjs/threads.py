"""Cap TensorFlow's thread pools in a worker process so a pool of workers shares the cores.

Call once per process before any model runs (``runner``'s initializer):

    configure_threads(intra_op=1, inter_op=1)
"""

from __future__ import annotations

import logging

__all__ = ["configure_threads"]

log = logging.getLogger(__name__)


def configure_threads(intra_op: int = 1, inter_op: int = 1) -> bool:
    """Set TensorFlow's intra-/inter-op thread counts; False when it is too late to change them.

    One thread each by default: a pool runs one worker per core, and TensorFlow's default
    (one thread per core in every process) would oversubscribe the CPU.
    """
    import tensorflow as tf  # only worker processes may import TensorFlow

    try:
        tf.config.threading.set_intra_op_parallelism_threads(intra_op)
        tf.config.threading.set_inter_op_parallelism_threads(inter_op)
    except RuntimeError:
        # TensorFlow's runtime is already initialised in this process; it keeps its counts.
        log.warning("TensorFlow already initialised; thread counts left at %s/%s",
                    tf.config.threading.get_intra_op_parallelism_threads(),
                    tf.config.threading.get_inter_op_parallelism_threads())
        return False
    return True
