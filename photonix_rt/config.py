"""Settings, read once from flags and the environment into a frozen ``Config``.

This is the only module that reads ``os.environ``. Every setting has a default that works on
a developer's machine; README.md lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["DEFAULT_LIBRARY", "Config", "load_config"]

# The library that `serve --photos` and `import` without --library fill.
DEFAULT_LIBRARY = "Photos"

_INTROSPECTION_MODES = ("on", "signed-in", "off")


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "photonix-rt"


def _split_paths(value: str) -> tuple[Path, ...]:
    return tuple(Path(p).expanduser().resolve() for p in value.split(os.pathsep) if p)


@dataclass(frozen=True)
class Config:
    """Everything the server and the CLI need to know about their surroundings."""

    data_dir: Path = field(default_factory=_default_data_dir)
    database_url: str | None = None   # None: start the embedded PostgreSQL in data_dir
    redis_url: str | None = None      # None: the in-process event bus
    host: str = "127.0.0.1"
    port: int = 8080
    # Folders that library paths may be added under (never arbitrary paths such as '/').
    allowed_roots: tuple[Path, ...] = ()
    # Folders given with --photos: added to the default library at start-up.
    photo_dirs: tuple[Path, ...] = ()
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    allowed_origins: tuple[str, ...] = ()
    trust_proxy: bool = False  # honour X-Forwarded-For/X-Real-IP (only behind a proxy)
    rescan_interval_s: float = 15 * 60
    # How long a classification job stays claimed without a heartbeat: a server killed with
    # SIGKILL (or its host lost) leaves its jobs claimed until then, restarted or not.
    job_lease_s: float = 60.0
    # The longest any one database statement of the server may run (0: no limit). A slow
    # query is cancelled by PostgreSQL with a clear error instead of keeping a backend busy.
    statement_timeout_s: float = 30.0
    event_retention_days: int = 30
    max_page_size: int = 500
    # The public share surface (/embed/, /s/): per client address, per minute / at once.
    share_requests_per_address: int = 1200
    share_sockets_per_address: int = 50
    max_query_depth: int = 12
    # Bounds on one GraphQL document, checked before it runs (graphql/limits.py).
    max_query_length: int = 100_000   # characters
    max_query_tokens: int = 5_000     # lexical tokens, enforced while parsing
    max_query_fields: int = 500       # fields selected, fragments expanded, aliases each
    max_query_cost: int = 25_000      # 1 per field, times the page size of `first` lists
    # Who may introspect the schema: "on" (everyone), "signed-in" or "off".
    introspection: str = "signed-in"
    # Request bodies larger than this are refused (413) before they are read.
    max_body_bytes: int = 1024 * 1024
    # Uploads from the phone (``/uploads/<library id>``) may be this large; larger is a 413.
    max_upload_bytes: int = 200 * 1024 * 1024
    # Converted models and geodata; shared between data dirs when set (PHOTONIX_MODELS_DIR).
    models_dir_override: Path | None = None
    # 'debug' also shows the worker processes' and TensorFlow's start-up logs.
    log_level: str = "info"
    # The built web app (Vite's output); the package's own copy unless a test points elsewhere.
    web_dir: Path = field(default_factory=lambda: Path(__file__).resolve().parent / "webapp")

    # -- operations (issue 12): backups, metrics, logs -----------------------------------
    # Where `photonix-rt backup` and the daily backups of `serve` go (PHOTONIX_BACKUP_DIR).
    backup_dir_override: Path | None = None
    # Daily backups kept by `serve` (PHOTONIX_BACKUP_KEEP; 0: none). None: 7 with the
    # embedded database, 0 with DATABASE_URL (whose server has backups of its own).
    backup_keep_override: int | None = None
    # Bearer token a Prometheus scraper sends to /metrics (PHOTONIX_METRICS_TOKEN). Unset:
    # /metrics answers direct loopback connections only.
    metrics_token: str | None = None
    # Log lines as "text" or "json" (PHOTONIX_LOG_FORMAT, `serve --log-format`).
    log_format: str = "text"

    @property
    def thumbnails_dir(self) -> Path:
        return self.data_dir / "thumbnails"

    @property
    def pgdata_dir(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def models_dir(self) -> Path:
        return self.models_dir_override or self.data_dir / "models"

    @property
    def secret_key_path(self) -> Path:
        return self.data_dir / "secret.key"

    @property
    def backup_dir(self) -> Path:
        return self.backup_dir_override or self.data_dir / "backups"

    @property
    def backup_keep(self) -> int:
        if self.backup_keep_override is not None:
            return self.backup_keep_override
        return 7 if self.database_url is None else 0

    def with_overrides(self, **changes: object) -> Config:
        """Return a copy with the given (non-None) values replaced."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_config(env: dict[str, str] | None = None, **overrides: object) -> Config:
    """Build the config from the environment, then apply command-line overrides."""
    env = dict(os.environ) if env is None else env
    values: dict[str, object] = {}
    if env.get("PHOTONIX_DATA_DIR"):
        values["data_dir"] = Path(env["PHOTONIX_DATA_DIR"]).expanduser().resolve()
    if env.get("DATABASE_URL"):
        values["database_url"] = env["DATABASE_URL"]
    if env.get("REDIS_URL"):
        values["redis_url"] = env["REDIS_URL"]
    if env.get("PHOTONIX_HOST"):
        values["host"] = env["PHOTONIX_HOST"]
    if env.get("PHOTONIX_PORT"):
        values["port"] = int(env["PHOTONIX_PORT"])
    if env.get("PHOTONIX_ALLOWED_ROOTS"):
        values["allowed_roots"] = _split_paths(env["PHOTONIX_ALLOWED_ROOTS"])
    if env.get("PHOTONIX_WORKERS"):
        values["workers"] = max(1, int(env["PHOTONIX_WORKERS"]))
    if env.get("PHOTONIX_ALLOWED_ORIGINS"):
        values["allowed_origins"] = tuple(
            o.strip() for o in env["PHOTONIX_ALLOWED_ORIGINS"].split(",") if o.strip()
        )
    if env.get("PHOTONIX_TRUST_PROXY"):
        values["trust_proxy"] = env["PHOTONIX_TRUST_PROXY"].lower() in {"1", "true", "yes"}
    if env.get("PHOTONIX_RESCAN_INTERVAL"):
        values["rescan_interval_s"] = float(env["PHOTONIX_RESCAN_INTERVAL"])
    if env.get("PHOTONIX_STATEMENT_TIMEOUT"):
        values["statement_timeout_s"] = max(0.0, float(env["PHOTONIX_STATEMENT_TIMEOUT"]))
    if env.get("PHOTONIX_JOB_LEASE"):
        values["job_lease_s"] = max(1.0, float(env["PHOTONIX_JOB_LEASE"]))
    for name, key in (("PHOTONIX_MAX_QUERY_DEPTH", "max_query_depth"),
                      ("PHOTONIX_MAX_QUERY_LENGTH", "max_query_length"),
                      ("PHOTONIX_MAX_QUERY_TOKENS", "max_query_tokens"),
                      ("PHOTONIX_MAX_QUERY_FIELDS", "max_query_fields"),
                      ("PHOTONIX_MAX_QUERY_COST", "max_query_cost"),
                      ("PHOTONIX_MAX_BODY_BYTES", "max_body_bytes"),
                      ("PHOTONIX_SHARE_REQUESTS_PER_ADDRESS", "share_requests_per_address"),
                      ("PHOTONIX_SHARE_SOCKETS_PER_ADDRESS", "share_sockets_per_address"),
                      ("PHOTONIX_MAX_UPLOAD_BYTES", "max_upload_bytes")):
        if env.get(name):
            values[key] = max(1, int(env[name]))
    if env.get("PHOTONIX_INTROSPECTION"):
        mode = env["PHOTONIX_INTROSPECTION"].strip().lower()
        if mode not in _INTROSPECTION_MODES:
            msg = f"PHOTONIX_INTROSPECTION must be one of {', '.join(_INTROSPECTION_MODES)}"
            raise ValueError(msg)
        values["introspection"] = mode
    if env.get("PHOTONIX_MODELS_DIR"):
        values["models_dir_override"] = Path(env["PHOTONIX_MODELS_DIR"]).expanduser().resolve()
    if env.get("PHOTONIX_LOG_LEVEL"):
        values["log_level"] = env["PHOTONIX_LOG_LEVEL"].strip().lower()
    values.update(_operations(env))
    config = Config(**values)  # type: ignore[arg-type]
    return config.with_overrides(**overrides)


def _operations(env: dict[str, str]) -> dict[str, object]:
    """Settings of backups, metrics and logs (issue 12)."""
    values: dict[str, object] = {}
    if env.get("PHOTONIX_BACKUP_DIR"):
        values["backup_dir_override"] = Path(env["PHOTONIX_BACKUP_DIR"]).expanduser().resolve()
    if env.get("PHOTONIX_BACKUP_KEEP"):
        values["backup_keep_override"] = max(0, int(env["PHOTONIX_BACKUP_KEEP"]))
    if env.get("PHOTONIX_METRICS_TOKEN"):
        values["metrics_token"] = env["PHOTONIX_METRICS_TOKEN"].strip()
    if env.get("PHOTONIX_LOG_FORMAT"):
        fmt = env["PHOTONIX_LOG_FORMAT"].strip().lower()
        if fmt not in ("text", "json"):
            msg = "PHOTONIX_LOG_FORMAT must be text or json"
            raise ValueError(msg)
        values["log_format"] = fmt
    return values
