"""Offline reverse geocoding data: country borders (OpenStreetMap, ODbL) and GeoNames places."""

from __future__ import annotations

__all__: list[str] = []
