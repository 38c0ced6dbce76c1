"""photonix-rt: a self-hosted photo library server."""

__all__ = ["__version__"]

__version__ = "0.1.0"
