#!/usr/bin/env bash
# Re-download the exact npm sources of the js-fresh2 corpus (labels: js-fresh2.json).
# Usage: get-js-fresh.sh DEST_DIR
# Each package ends up in DEST_DIR/<name>/package/ (the tarball's own top directory;
# "root" in the label file is "package", file paths are relative to it).
# Idempotent: a package whose DEST_DIR/<name>/package/package.json exists is skipped.
# Needs only npm and tar (plus bash, mkdir, rm).
set -u

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 DEST_DIR" >&2
  exit 2
fi
DEST=$1
mkdir -p "$DEST" || exit 1

# name version sha512-integrity (from the registry's dist.integrity at labeling time)
PKGS="
dns2 3.0.0 sha512-Tlpq92NzSwYtMw/s0P9rhLzSI+e6PohlOnvGJ1napsE60KcA02zYSwuMysEzuBam6FPDP0nsFXArspdixRAxaA==
fluent-logger 3.4.1 sha512-lERIhXAvhtCYeQq8K7sBDg/HY9GkiVRq5xY3oN+hcSINVKwqwBzG6LQOJK73EnV50qO59U7XEmRnn2hBzLWaHw==
gelf-pro 1.4.0 sha512-VXQ1DHQjQr8/Xil83hHgozqeCcVrggGAA6A8hgjojQSatiF6PErR+nnYv/DCBxFBolO6licomD7Abaj0Iec7Qg==
hot-shots 18.0.0 sha512-AUT3FdS6JTLtnHcSMNLLTLP93om4/92KA0CIrQgsGaGGPryJQF4bG0idDMSZvew363nfraFULakRaoo/bzgC6g==
http-proxy 1.18.1 sha512-7mz/721AbnJwIVbnaSv1Cz3Am0ZLT/UBwkC92VlxhXv/k/BBQfM2fXElQNC27BVGr0uwUpplYPQM9LnaBMR5NQ==
https-proxy-agent 9.1.0 sha512-ag87y7cJJ9/3+GxFr8Oy4O5faDsGRGnBGsJj/YjOSsSx/5eadKLYTMPlzuR6obgoCDDm0abAAZitXXQkMOPSpA==
imapflow 2.10.2 sha512-KI9tW4KXMz8KuZoSLGwLkXLUH39me38/vYZBL/eyh2CjHVDBFUj1QuqqfzeHJOIj1VwAZ4jL4zoVKppM7cXfrw==
ldapts 8.2.0 sha512-XfKocadpoHc1kNgtbTBBhD+pSh1U9KVTzxcKwDS4ulFFyC7rJkLC3TwIfbQ4rt3my9KHz8qsw9qFXVjcPOGebw==
memcached 2.2.2 sha512-lHwUmqkT9WdUUgRsAvquO4xsKXYaBd644Orz31tuth+w/BIfFNuJMWwsG7sa7H3XXytaNfPTZ5R/yOG3d9zJMA==
node-opcua-transport 2.182.0 sha512-McIwrjSiUDSQuwueT7fQrxNbV+O5h5VjyPUPaBdoFGWmHoZOYKSdxEGEOZz1BgK9m2brfBxmHOeXERvEx2JflA==
rabbitmq-client 5.0.8 sha512-nNto/okuVq+d/OamRYX4HIiCkHdOE0RICIDRjS4YQUo2DI/l3R9RlsFaEEYSjIc+LT6DV+1wUub3nD1HwrM4SQ==
smpp 0.5.1 sha512-ekPCZJVuGcN3tvtJeykwWz4jzz+jZ791cHU7p5ihrcOxvmywTxOI4odmOtqyxBmPeIFvHb3gCgdrjA11BuRzSw==
syslog-client 1.1.1 sha512-c3qKw8JzCuHt0mwrzKQr8eqOc3RB28HgOpFuwGMO3GLscVpfR+0ECevWLZq/yIJTbx3WTb3QXBFVpTFtKAPDrw==
undici 7.30.3 sha512-Zlb+QdzEW3+j3Yt5GyAycC7nFHhrGQaZhK0C65WWslTvEh11sN3G5EkBkboFt+dcNZEGSFuK3XoDSq6YqmXo5Q==
winston-logstash 2.1.1 sha512-8r43dGy8fc92EgzH1G2xDDvJbWEZBrDu4PzBLIX5Rri5G3MYOaUDNxwl3aMqr9TsYQuGC2S8Ivg75r8mUaEbXg==
ws 8.23.1 sha512-1rzWDSN0NOi3tpwgHsQExjWRoKUGtjCkJ2gZRaaRtzhYLboMytOI9pj9PU7yCgY37auqdd4OyLofZDbkeuZmPA==
"

# shellcheck source=npm-pinned.sh
. "$(dirname "$0")/npm-pinned.sh"
exit $rc
