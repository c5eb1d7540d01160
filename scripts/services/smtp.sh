# shellcheck shell=bash
# Private SMTP sink for the digest e-mail tests (sourced by scripts/test.sh).
#
# smtp_start installs Debian's aiosmtpd when missing (as root) and runs it on a free loopback port,
# storing every message it accepts in a Maildir under $LEADROUTER_TEST_WORK. It exports
# LEADROUTER_TEST_SMTP (host:port) and LEADROUTER_TEST_SMTP_MAILDIR; when aiosmtpd cannot be installed it
# exports nothing and the e-mail test reports itself skipped. smtp_stop stops that server only.
# Debian's own python is used: aiosmtpd is installed for it, not for another python on PATH.

SMTP_PYTHON=/usr/bin/python3

smtp_start() {
  if ! "$SMTP_PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "smtp: python3-aiosmtpd is not installed and installing it needs root; the e-mail test will be skipped" >&2
      return 0
    fi
    echo "smtp: installing python3-aiosmtpd"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd >/dev/null ||
      { echo "smtp: installing python3-aiosmtpd failed; the e-mail test will be skipped" >&2; return 0; }
  fi

  local parent=${LEADROUTER_TEST_WORK:-${TMPDIR:-/tmp}}
  SMTP_DIR=$(mktemp -d "$parent/smtp.XXXXXX")
  local port=52525
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
    if [ "$port" -gt 52625 ]; then
      echo "smtp: no free loopback port in 52525-52625" >&2
      return 1
    fi
  done

  "$SMTP_PYTHON" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$SMTP_DIR/maildir" \
    >"$SMTP_DIR/server.log" 2>&1 &
  SMTP_PID=$!
  local i
  for i in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export LEADROUTER_TEST_SMTP="127.0.0.1:$port"
      export LEADROUTER_TEST_SMTP_MAILDIR="$SMTP_DIR/maildir"
      echo "smtp: listening on 127.0.0.1:$port"
      return 0
    fi
    kill -0 "$SMTP_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "smtp: the server did not start; its log:" >&2
  cat "$SMTP_DIR/server.log" >&2
  return 1
}

smtp_stop() {
  if [ -n "${SMTP_PID:-}" ]; then
    kill "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
  fi
  [ -n "${SMTP_DIR:-}" ] && rm -rf "$SMTP_DIR"
  unset LEADROUTER_TEST_SMTP LEADROUTER_TEST_SMTP_MAILDIR SMTP_PID SMTP_DIR
}
