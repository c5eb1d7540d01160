# shellcheck shell=bash
# Private RabbitMQ node for the integration tests, sourced by scripts/test.sh.
#
# rabbitmq_start installs Debian's rabbitmq-server when it is missing (as root), then starts a
# node of our own: own node name, own epmd port, own data/log/config under $LEADROUTER_TEST_WORK,
# listening on 127.0.0.1 only, no plugins. It never touches a system node the package may run.
# It exports LEADROUTER_TEST_RABBITMQ (amqp URI, guest on loopback). rabbitmq_stop stops the node
# and its epmd. Not root and not installed: a warning, no variable, and the RabbitMQ tests skip.
#
# Ports: the first free triple from 56720 (AMQP, Erlang distribution, epmd), or
# LEADROUTER_RABBITMQ_PORT to pin the AMQP port (the next two are used for the others).

_rabbitmq_sbin=/usr/lib/rabbitmq/bin

_rabbitmq_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_rabbitmq_install() {
  if [ -x "$_rabbitmq_sbin/rabbitmq-server" ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "rabbitmq: rabbitmq-server is not installed and installing it needs root;" \
      "the RabbitMQ tests will be skipped (apt-get install rabbitmq-server to run them)" >&2
    return 2
  fi
  # policy-rc.d exit 101 tells the package's maintainer scripts not to start the system node.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
  fi
  local rc=0
  apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
      --no-install-recommends rabbitmq-server >/dev/null || rc=$?
  if [ "$made_policy" -eq 1 ]; then rm -f "$policy"; fi
  if [ "$rc" -ne 0 ]; then
    echo "rabbitmq: apt-get install rabbitmq-server failed ($rc)" >&2
    return "$rc"
  fi
  # Without systemd some setups still start the system node; it must not hold ports. The
  # package's configuration also leaves a default epmd on 0.0.0.0:4369 (-kill refuses while
  # a node is registered there, so only an idle one goes).
  if command -v service >/dev/null 2>&1; then service rabbitmq-server stop >/dev/null 2>&1 || true; fi
  epmd -port 4369 -kill >/dev/null 2>&1 || true
}

rabbitmq_start() {
  local installed=0
  _rabbitmq_install || installed=$?
  if [ "$installed" -eq 2 ]; then return 0; fi # not root and not installed: tests skip
  if [ "$installed" -ne 0 ]; then return 1; fi

  local dir="${LEADROUTER_TEST_WORK:?LEADROUTER_TEST_WORK must be set}/rabbitmq"
  mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"

  local port="${LEADROUTER_RABBITMQ_PORT:-}"
  if [ -z "$port" ]; then
    for port in $(seq 56720 3 56798); do
      if ! _rabbitmq_port_in_use "$port" && ! _rabbitmq_port_in_use $((port + 1)) &&
        ! _rabbitmq_port_in_use $((port + 2)); then break; fi
    done
  fi

  # The CLI tools read the same variables, so they are exported for rabbitmq_stop too.
  export RABBITMQ_NODENAME="leadrouter-test-$$@localhost"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$port"
  export RABBITMQ_DIST_PORT=$((port + 1))
  export ERL_EPMD_PORT=$((port + 2))
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
  # Erlang distribution (node and CLI) on loopback too, not on every interface.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

  cat >"$RABBITMQ_CONFIG_FILE" <<CONF
listeners.tcp.default = 127.0.0.1:$port
loopback_users.guest = true
disk_free_limit.absolute = 50MB
log.console = false
log.file.level = warning
CONF
  echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
  echo '[].' >"$RABBITMQ_ADVANCED_CONFIG_FILE"
  : >"$RABBITMQ_CONF_ENV_FILE"

  # The real scripts, not Debian's /usr/sbin wrappers that switch to the rabbitmq user (which
  # could not enter our private folder). HOME holds the node's own Erlang cookie.
  HOME="$dir/home" "$_rabbitmq_sbin/rabbitmq-server" </dev/null >"$dir/server.out" 2>&1 &
  _rabbitmq_server_pid=$!

  local deadline=$((SECONDS + 90))
  until HOME="$dir/home" "$_rabbitmq_sbin/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" \
    await_startup --timeout 10 >/dev/null 2>&1; do
    if ! kill -0 "$_rabbitmq_server_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "rabbitmq: node $RABBITMQ_NODENAME did not start; last lines of its output:" >&2
      tail -n 30 "$dir/server.out" >&2 || true
      rabbitmq_stop
      return 1
    fi
    sleep 1
  done

  export LEADROUTER_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$port/"
  echo "rabbitmq: node $RABBITMQ_NODENAME on 127.0.0.1:$port"
}

rabbitmq_stop() {
  local dir="${LEADROUTER_TEST_WORK:-}/rabbitmq"
  if [ -n "${RABBITMQ_NODENAME:-}" ]; then
    # shutdown (unlike stop) returns once the Erlang VM has exited.
    HOME="$dir/home" "$_rabbitmq_sbin/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" shutdown >/dev/null 2>&1 || true
  fi
  if [ -n "${_rabbitmq_server_pid:-}" ]; then
    kill "$_rabbitmq_server_pid" 2>/dev/null || true
    wait "$_rabbitmq_server_pid" 2>/dev/null || true
  fi
  if [ -n "${ERL_EPMD_PORT:-}" ]; then
    epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 ||
      "$(ls -d /usr/lib/erlang/erts-*/bin 2>/dev/null | head -n 1)/epmd" -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
  fi
  unset LEADROUTER_TEST_RABBITMQ _rabbitmq_server_pid
}
