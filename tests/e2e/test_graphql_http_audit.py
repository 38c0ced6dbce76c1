"""GraphQL-over-HTTP conformance: graphql-http's own ``serverAudits`` against the real app.

The audits (``graphql_http_audit.mjs``, the npm ``graphql-http`` package pinned in
``package.json``) send the spec's requests to ``/graphql``: media types, status codes, bad
parameters. Every audit must pass, warnings included.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any


async def _audit(script: Path, url: str, token: str) -> list[dict[str, Any]]:
    process = await asyncio.create_subprocess_exec(
        "node", str(script), url, token, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    return json.loads(out)


async def test_every_graphql_over_http_audit_passes(node_scripts: Path, server: str,
                                                    make_user) -> None:
    # Signed in: some audits use __type, and introspection is for signed-in users by default.
    token = await make_user("auditor")
    results = await _audit(node_scripts / "graphql_http_audit.mjs", server + "/graphql", token)
    assert len(results) > 50  # the suite really ran
    failing = [r for r in results if r["status"] != "ok"]
    assert failing == [], json.dumps(failing, indent=1)
