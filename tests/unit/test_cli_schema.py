"""``photonix-rt schema`` prints the whole schema, which parses and matches the server's."""

from __future__ import annotations

import subprocess
import sys

from graphql import build_schema, print_schema

from photonix_rt.graphql.bind import build


def test_schema_command_prints_the_served_schema() -> None:
    out = subprocess.run([sys.executable, "-m", "photonix_rt", "schema"], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    printed = build_schema(out)
    assert print_schema(printed) == print_schema(build())
    for field in ("timeBuckets", "bucketPhotos", "searchSuggestions", "setupRequired"):
        assert field in printed.query_type.fields, field
    assert "createFirstAdmin" in printed.mutation_type.fields
