# shellcheck shell=bash
# Private PostgreSQL for the integration tests (sourced by scripts/test.sh).
#
# postgres_start installs the server when missing (Debian package, as root), creates a throwaway
# cluster in a temporary folder under $LEADROUTER_TEST_WORK, listening on 127.0.0.1 only with
# trust authentication for loopback and its own socket folder, creates the test database and
# exports LEADROUTER_TEST_POSTGRES (an Npgsql connection string). It never starts, stops or
# reconfigures a system cluster. postgres_stop stops the private cluster and removes its folder.

postgres_bindir() {
  # The newest installed major version.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# initdb and pg_ctl refuse to run as root: run them as the postgres OS user when we are root.
postgres_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

postgres_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

postgres_start() {
  local bin
  if ! bin=$(postgres_bindir); then
    if [ "$(id -u)" -ne 0 ]; then
      echo "postgres: PostgreSQL is not installed and installing it needs root" >&2
      return 1
    fi
    echo "postgres: installing the server package"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(postgres_bindir) || { echo "postgres: initdb not found after install" >&2; return 1; }
  fi

  local parent=${LEADROUTER_TEST_WORK:-${TMPDIR:-/tmp}}
  POSTGRES_DIR=$(mktemp -d "$parent/postgres.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then
    # The postgres user must be able to reach its folder: traverse only, no listing.
    chmod a+x "$parent"
    chown postgres: "$POSTGRES_DIR"
  fi

  local port=55432
  while ! postgres_port_free "$port"; do
    port=$((port + 1))
    if [ "$port" -gt 55532 ]; then
      echo "postgres: no free loopback port in 55432-55532" >&2
      return 1
    fi
  done

  postgres_as_owner "$bin/initdb" -D "$POSTGRES_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth=trust >"$POSTGRES_DIR/initdb.log" 2>&1 || {
    cat "$POSTGRES_DIR/initdb.log" >&2
    return 1
  }
  # Loopback only, whatever initdb wrote.
  cat >"$POSTGRES_DIR/data/pg_hba.conf" <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
  postgres_as_owner "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $POSTGRES_DIR" start >/dev/null || {
    cat "$POSTGRES_DIR/server.log" >&2
    return 1
  }
  POSTGRES_BIN=$bin
  postgres_as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres leadrouter_test
  export LEADROUTER_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=leadrouter_test"
  echo "postgres: private cluster on 127.0.0.1:$port"
}

postgres_stop() {
  [ -n "${POSTGRES_DIR:-}" ] || return 0
  if [ -n "${POSTGRES_BIN:-}" ] && [ -f "$POSTGRES_DIR/data/postmaster.pid" ]; then
    postgres_as_owner "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$POSTGRES_DIR"
  unset LEADROUTER_TEST_POSTGRES POSTGRES_DIR POSTGRES_BIN
}
