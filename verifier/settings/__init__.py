"""Settings: one schema, one loader, one environment-variable registry (docs/configuration.md).

* `schema` — every key: section (`[fetch]`, `[store]`, `[discovery]`, `[policy]`, `[thresholds]`),
  type, which file takes it (user or project), its flag, default and doc; the old spellings;
* `values` — one check per kind of value (`SettingsError` names the key: exit 2 at the CLI);
* `loader` — reads the user file and project files into checked layers and merges them, lowest
  first: defaults < user file < project file < environment < flags;
* `env` — every environment variable the verifier reads, and the key it sets;
* `thresholds` — percent in every file, converted to the matcher's units in one place;
* `policy` — the gate's per-reason rules; `apply` — settings into what the stages read.

The CLI (`verifier.cli.options`) and the gate (`verifier.gate.policy`) are thin users of it. This
package imports no stage at import time, so any layer may use it.
"""
