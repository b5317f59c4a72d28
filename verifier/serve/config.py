"""The server's configuration: one TOML file (`verifier serve --config verifier.toml`).

    [verifier]                      # the default policy: the same keys as [tool.verifier] (docs/gate.md)
    fail_on = "partial"
    reasons = { paywalled = "warn" }
    store = "/var/lib/verifier/evidence.sqlite3"   # shared with `verifier check --policy this-file`

    [fetch]                         # fetch settings, as in the CLI's --config file (docs/fetching.md)
    user_agent = "verifier (+https://example.org/desk; desk@example.org)"

    [serve]
    tokens = ["sha256:9f86d0…"]     # SHA-256 of each bearer token; `verifier serve --new-token` makes one
    auth = "auto"                   # "auto": required unless bound to a loopback address; "required"; "off"
    max_draft_bytes = 1000000       # larger request bodies get 413
    rate_limit = 60                 # checks per minute per token (or client address); 0 = no limit
    max_concurrent = 4              # checks running at once
    queue_size = 16                 # checks waiting for a slot; beyond that 503 with Retry-After
    check_deadline = 120            # seconds a check may take before it is stopped and marked failed
    max_wait = 60                   # longest ?wait=SECONDS a request may ask for
    database = "/var/lib/verifier/history.sqlite3"  # report history (default: user data dir)
    discover = true                 # look for uncited originals (Guardian API, sitemaps, GDELT)
    callback_allow = []             # hosts a webhook may reach although private (tests: ["127.0.0.1"])
    callback_attempts = 3           # webhook deliveries tried (backoff 1 s, 2 s, 4 s ...)
    callback_secret = ""            # when set, webhooks carry X-Verifier-Signature: sha256=HMAC(body)
    shutdown_grace = 30             # seconds SIGTERM waits for running checks before marking them interrupted

A request may tighten the policy (fail_on, per-reason levels, outlets to skip) but never loosen it,
and nothing in a request can allow private addresses or local files: `--allow-private` is a server
flag only.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.gate.policy import ConfigError, GateConfig, load_config, parse_config

TOKEN_PREFIX = "vrf_"
HASH_PREFIX = "sha256:"
AUTH_MODES = ("auto", "required", "off")
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def new_token() -> str:
    """A fresh bearer token (256 bits from the OS's CSPRNG)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What goes into `[serve] tokens`: the token's SHA-256. Tokens are long random strings, so a
    fast hash is enough (as for API keys generally); the server never keeps the token itself."""
    return HASH_PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_loopback_host(host: str) -> bool:
    h = host.strip("[]").lower()
    if h in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


@dataclass
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8321
    token_hashes: list[str] = field(default_factory=list)
    auth: str = "auto"
    allow_private: bool = False  # the server flag; never a request field
    max_draft_bytes: int = 1_000_000
    rate_limit: int = 60  # per minute per client
    max_concurrent: int = 4
    queue_size: int = 16
    check_deadline: float = 120.0
    max_wait: float = 60.0
    database: str | None = None
    store: str | None = None  # --store; else the policy's store; else [fetch] store; else the user cache dir
    no_store: bool = False
    discover: bool = True
    replay: str | None = None  # answer every fetch from a replay file, in process (demos, tests)
    callback_allow: list[str] = field(default_factory=list)
    callback_attempts: int = 3
    callback_timeout: float = 10.0
    callback_backoff: float = 1.0
    callback_secret: str | None = None
    shutdown_grace: float = 30.0
    policy: GateConfig = field(default_factory=GateConfig)
    path: Path | None = None  # the config file (also the [fetch] settings' file)

    @property
    def auth_required(self) -> bool:
        if self.auth == "off":
            return False
        if self.auth == "required":
            return True
        return not is_loopback_host(self.host)

    def token_id(self, token: str) -> str | None:
        """A short, stable id for a valid token (for rate limits and the history), else None."""
        h = hash_token(token)
        for known in self.token_hashes:
            if secrets.compare_digest(h, known):
                return "token:" + known[len(HASH_PREFIX) : len(HASH_PREFIX) + 8]
        return None

    def problems(self) -> list[str]:
        """Start-up problems: a service reachable from the network must not run without auth."""
        out = []
        if self.auth_required and not self.token_hashes:
            out.append(
                f"authentication is required on {self.host} but [serve] tokens is empty: add a token "
                "(verifier serve --new-token) or bind to 127.0.0.1"
            )
        if self.auth == "off" and not is_loopback_host(self.host):
            out.append(f"--no-auth is for local use only: bind to 127.0.0.1, not {self.host}")
        return out


_INT_KEYS = {"port": (1, 65535), "max_draft_bytes": (1, 100_000_000), "rate_limit": (0, 1_000_000),
             "max_concurrent": (1, 256), "queue_size": (0, 100_000), "callback_attempts": (1, 20)}
_FLOAT_KEYS = {"check_deadline": (1.0, 86_400.0), "max_wait": (0.0, 3_600.0), "shutdown_grace": (0.0, 3_600.0),
               "callback_timeout": (0.5, 300.0), "callback_backoff": (0.0, 60.0)}
_KNOWN = {"host", "tokens", "auth", "database", "discover", "callback_allow", "callback_secret", "replay",
          *_INT_KEYS, *_FLOAT_KEYS}


def load_serve_config(path: str | Path | None = None) -> ServeConfig:
    """The server config from a TOML file (None: defaults). Raises ConfigError with one line."""
    cfg = ServeConfig()
    if path is None:
        return cfg
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"no such config file: {p}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read config file {p}: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{p}: invalid TOML: {e}") from e
    cfg.path = p
    if "verifier" in data or "tool" in data:
        cfg.policy = load_config(p)
    else:  # policy keys at the top level, next to the [serve] and [fetch] tables
        try:
            cfg.policy = parse_config({k: v for k, v in data.items() if k not in ("serve", "fetch")}, p)
        except ConfigError as e:
            raise ConfigError(str(e)) from e
    table = data.get("serve", {})
    if "tool" in data and isinstance(data["tool"], dict):  # a pyproject.toml: [tool.verifier.serve]
        table = (data["tool"].get("verifier") or {}).get("serve", table)
    if not isinstance(table, dict):
        raise ConfigError(f"{p}: [serve] must be a table")
    apply_table(cfg, table, p)
    return cfg


def apply_table(cfg: ServeConfig, table: dict[str, Any], path: Path | None = None) -> ServeConfig:
    where = f"{path}: [serve]" if path else "[serve]"
    base = path.parent if path else None
    unknown = sorted(set(table) - _KNOWN)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s): {', '.join(unknown)}")
    for key, (lo, hi) in _INT_KEYS.items():
        if key in table:
            v = table[key]
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ConfigError(f"{where}: {key} must be a whole number from {lo} to {hi}")
            setattr(cfg, key, v)
    for key, (lo, hi) in _FLOAT_KEYS.items():
        if key in table:
            v = table[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
                raise ConfigError(f"{where}: {key} must be a number of seconds from {lo:g} to {hi:g}")
            setattr(cfg, key, float(v))
    if "host" in table:
        if not isinstance(table["host"], str) or not table["host"].strip():
            raise ConfigError(f"{where}: host must be a host name or address")
        cfg.host = table["host"].strip()
    if "auth" in table:
        if table["auth"] not in AUTH_MODES:
            raise ConfigError(f"{where}: auth must be one of {', '.join(AUTH_MODES)}")
        cfg.auth = table["auth"]
    tokens = table.get("tokens", [])
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise ConfigError(f"{where}: tokens must be a list of \"sha256:…\" strings")
    for t in tokens:
        hexpart = t[len(HASH_PREFIX):]
        if not t.startswith(HASH_PREFIX) or len(hexpart) != 64 or any(c not in "0123456789abcdef" for c in hexpart):
            raise ConfigError(f"{where}: tokens hold SHA-256 hashes (\"sha256:\" + 64 hex digits), never the "
                              "tokens themselves: `verifier serve --hash-token TOKEN` prints one")
    cfg.token_hashes = list(tokens)
    for key in ("database", "replay"):
        if key in table:
            v = table[key]
            if not isinstance(v, str) or not v:
                raise ConfigError(f"{where}: {key} must be a path")
            q = Path(v).expanduser()
            setattr(cfg, key, str(base / q if base is not None and not q.is_absolute() else q))
    if "discover" in table:
        if not isinstance(table["discover"], bool):
            raise ConfigError(f"{where}: discover must be true or false")
        cfg.discover = table["discover"]
    allow = table.get("callback_allow", [])
    if not isinstance(allow, list) or not all(isinstance(h, str) and h for h in allow):
        raise ConfigError(f"{where}: callback_allow must be a list of host names or addresses")
    cfg.callback_allow = [h.strip("[]").lower() for h in allow]
    if "callback_secret" in table:
        if not isinstance(table["callback_secret"], str):
            raise ConfigError(f"{where}: callback_secret must be a string")
        cfg.callback_secret = table["callback_secret"] or None
    return cfg
