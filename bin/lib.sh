# Shared by bin/test and bin/demo: the core's virtualenv, Odoo's command, PostgreSQL,
# and an addons folder in which this checkout is named account_qonto_einvoicing
# (a clone may live in a folder of any name; Odoo loads an addon by its folder name).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR="$ROOT/var"
VENV="$ROOT/.venv"
mkdir -p "$VAR"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The core needs only PyPI packages: a virtualenv of its own keeps it off the system.
# core_venv [PYTHON [DIR]]: the venv DIR (default $VENV) made with PYTHON (default python3).
core_venv() {
  local python=${1:-python3} venv=${2:-$VENV}
  if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv ($python)"
    "$python" -m venv "$venv" || { [ "$python" = python3 ] && apt-get update -qq \
      && apt-get install -y -qq python3-venv && python3 -m venv "$venv"; } || return 1
  fi
  if ! cmp -s "$ROOT/requirements-test.txt" "$venv/.requirements-test.txt" \
     || ! cmp -s "$ROOT/requirements.txt" "$venv/.requirements.txt"; then
    say "installing the core's test requirements in $venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check \
      -r "$ROOT/requirements-test.txt" || return 1
    cp "$ROOT/requirements-test.txt" "$venv/.requirements-test.txt"
    cp "$ROOT/requirements.txt" "$venv/.requirements.txt"
  fi
}

# The interpreters the core is tested under, one path a line: python3 first, then each
# python3.10 ... python3.13 that really runs (a pyenv shim of a version that is not
# active exits non-zero) and is not the same version as one already listed. A pyenv
# installation of that version that is not on the PATH counts too. On a plain Debian
# machine that is python3 alone.
core_pythons() {
  local seen="" candidate version minor found
  for candidate in python3 python3.10 python3.11 python3.12 python3.13; do
    found=""
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 1 >/dev/null 2>&1; then
      found=$(command -v "$candidate")
    elif [ "$candidate" != python3 ] && command -v pyenv >/dev/null 2>&1; then
      minor=${candidate#python}
      found=$(ls -d "$(pyenv root)/versions/$minor".*/bin/"$candidate" 2>/dev/null \
        | sort -V | tail -n 1)
      if [ -n "$found" ] && ! "$found" -c 1 >/dev/null 2>&1; then found=""; fi
    fi
    [ -n "$found" ] || continue
    version=$("$found" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if [ "$(printf '%s\n' "$version" 3.10 | sort -V | head -n 1)" != 3.10 ]; then continue; fi
    case " $seen " in *" $version "*) continue ;; esac
    seen="$seen $version"
    echo "$found"
  done
}

odoo_bin() {
  if [ -n "${ODOO_BIN:-}" ]; then echo "$ODOO_BIN"; else command -v odoo || true; fi
}

# The Python interpreter that runs Odoo: read from the command's shebang or wrapper.
odoo_python() {
  local bin=$1 first
  first=$(head -n 1 "$bin" 2>/dev/null)
  case "$first" in
    "#!"*python*) echo "${first#\#!}" | awk '{print $1}' ;;
    *) grep -oE '[^ "]*/python[0-9.]*' "$bin" | head -n 1 ;;
  esac
}

# Use the PostgreSQL that answers; else start the Debian cluster; else a private one.
ensure_postgres() {
  PG_ARGS=()
  if pg_isready -q 2>/dev/null; then ensure_pg_role; return 0; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1 && [ ! -d /usr/lib/postgresql ]; then
    say "installing PostgreSQL"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local cluster
  cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1" "$2}')
  if [ -n "$cluster" ]; then
    say "starting PostgreSQL cluster $cluster"
    # shellcheck disable=SC2086
    pg_ctlcluster $cluster start || true
  fi
  if ! pg_isready -q 2>/dev/null; then
    local bindir data="$VAR/postgres" sock="$VAR/pgsock"
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    say "starting a private PostgreSQL in $data"
    mkdir -p "$data" "$sock"
    chown -R postgres "$data" "$sock" 2>/dev/null || true
    if [ ! -f "$data/PG_VERSION" ]; then
      runuser -u postgres -- "$bindir/initdb" -D "$data" -A trust >/dev/null
    fi
    runuser -u postgres -- "$bindir/pg_ctl" -D "$data" -l "$VAR/postgres.log" \
      -o "-k $sock -c listen_addresses='' -p 54329" -w start >/dev/null
    PG_ARGS=(--db_host "$sock" --db_port 54329)
    export PGHOST=$sock PGPORT=54329
  fi
  ensure_pg_role
}

# Odoo refuses to connect as the postgres superuser: give the current user a role.
ensure_pg_role() {
  local me
  me=$(id -un)
  if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
    runuser -u postgres -- createuser -s "$me" 2>/dev/null || true
  fi
}

# An addons folder holding this checkout under the addon's technical name. It lives
# outside the checkout: inside, Odoo's tools that walk the addon (translation export)
# would follow the link back into it, forever.
# The bridges (bridges/<addon>/, each linking this addon to an optional one) sit beside it.
addons_dir() {
  local dir bridge
  dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/account_qonto_einvoicing/$(printf %s "$ROOT" | md5sum | cut -c1-12)"
  mkdir -p "$dir"
  ln -sfn "$ROOT" "$dir/account_qonto_einvoicing"
  for bridge in "$ROOT"/bridges/*/; do
    [ -f "$bridge/__manifest__.py" ] && ln -sfn "${bridge%/}" "$dir/$(basename "$bridge")"
  done
  echo "$dir"
}

# OCA's online bank statement import for Qonto and what it depends on, 19.0 from PyPI.
# Their wheels declare a dependency on an `odoo` distribution PyPI cannot provide, so they
# are downloaded without dependencies and unpacked into an addons folder of their own.
OCA_STATEMENT_WHEELS=(
  "odoo-addon-account-statement-import-online-qonto==19.0.1.0.1"
  "odoo-addon-account-statement-import-online>=19.0,<19.1"
  "odoo-addon-account-statement-import-base>=19.0,<19.1"
  "odoo-addon-account-statement-base>=19.0,<19.1"
)
OCA_STATEMENT_MODULE=account_statement_import_online_qonto

# oca_addons_dir PYTHON: print the folder holding OCA's modules (downloaded once), or
# nothing, with the reason on stderr, when they could not be had.
oca_addons_dir() {
  local python=${1:-python3} dir="$VAR/oca" wheel
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir" && mkdir -p "$dir/wheels" "$dir/unpacked" "$dir/addons"
    if ! "$python" -m pip download -q --no-deps --disable-pip-version-check -d "$dir/wheels" \
        "${OCA_STATEMENT_WHEELS[@]}" >"$dir/download.log" 2>&1; then
      echo "OCA's $OCA_STATEMENT_MODULE could not be downloaded from PyPI (see $dir/download.log)" >&2
      return 0
    fi
    for wheel in "$dir"/wheels/*.whl; do
      "$python" -m zipfile -e "$wheel" "$dir/unpacked" || return 0
    done
    mv "$dir"/unpacked/odoo/addons/* "$dir/addons/" && rm -rf "$dir/unpacked"
    touch "$dir/.complete"
  fi
  echo "$dir/addons"
}

# Odoo renders invoice PDFs (the Send wizard, the Print button) with wkhtmltopdf; without
# it the Send wizard fails with "Unable to find Wkhtmltopdf". Debian's package is used.
ensure_wkhtmltopdf() {
  command -v wkhtmltopdf >/dev/null 2>&1 && return 0
  say "installing wkhtmltopdf (Odoo renders the invoice PDFs with it)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wkhtmltopdf \
    >/dev/null || { echo "could not install wkhtmltopdf: the Send wizard will fail" >&2; return 1; }
}
