# shellcheck shell=bash
# Debian's headless Chromium for the browser tests of the digest and the simulate report (sourced by
# scripts/test.sh). chromium_start installs it when missing (as root) and exports
# LEADROUTER_TEST_CHROMIUM; the tests start their own instance with their own profile folder. When it
# cannot be installed the variable stays unset and those tests report themselves skipped, with the reason.

chromium_start() {
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "chromium: installing the chromium package"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null ||
        echo "chromium: apt-get install chromium failed; the browser tests will be skipped" >&2
    else
      echo "chromium: not installed and installing it needs root; the browser tests will be skipped" >&2
    fi
  fi
  if command -v chromium >/dev/null 2>&1; then
    LEADROUTER_TEST_CHROMIUM=$(command -v chromium)
    export LEADROUTER_TEST_CHROMIUM
    echo "chromium: $LEADROUTER_TEST_CHROMIUM"
  fi
  return 0
}

chromium_stop() {
  unset LEADROUTER_TEST_CHROMIUM
}
