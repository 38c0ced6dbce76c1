"""TF.js graph models loaded into TensorFlow without the ``tensorflowjs`` package.

Import only in worker processes: importing ``workers.tfjs.model`` imports TensorFlow.
"""
