#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 supports 3.8-3.10 only).
# Looks in: $PYTHON, python3.10 on PATH, pyenv's 3.10.x, then `uv python find 3.10`.
set -u
is310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }
for candidate in "${PYTHON:-}" "$(command -v python3.10 2>/dev/null)"; do
  if is310 "$candidate"; then echo "$candidate"; exit 0; fi
done
for root in "${PYENV_ROOT:-}" "$HOME/.pyenv" /root/.pyenv; do
  [ -d "$root/versions" ] || continue
  for candidate in $(ls -d "$root"/versions/3.10.*/bin/python 2>/dev/null | sort -V -r); do
    if is310 "$candidate"; then echo "$candidate"; exit 0; fi
  done
done
if command -v uv >/dev/null 2>&1; then
  candidate=$(uv python find 3.10 2>/dev/null)
  if is310 "$candidate"; then echo "$candidate"; exit 0; fi
fi
cat >&2 <<'MSG'
Python 3.10 was not found, and Rasa 3.6 needs it (3.11 and newer won't work).
Install one of these, then run the command again:
  - pyenv:  pyenv install 3.10.13
  - uv:     uv python install 3.10
  - Debian/Ubuntu: apt install python3.10 python3.10-venv
Or point at one you have:  make run PYTHON=/path/to/python3.10
MSG
exit 1
