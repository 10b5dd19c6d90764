#!/usr/bin/env bash
# Re-download the exact npm sources of the js-fresh corpus (labels: js-fresh.json).
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
cassandra-driver 4.10.0 sha512-DHyFC6RMK28nvndZfecbGUozoYbb5NjFmlniczao8zA1IplurcshR2i6rvxpEu3Q9G45tjin4yU+iKwA10ZUtA==
emailjs 5.0.3 sha512-Y47oNF5Geurb8GnmST2b+EK8mDLKoDFySxsvZb6YMcNbvdxpjd9FaLQ80p38lUVhq50knveOhkH/c/4afJSFxQ==
ftp-srv 4.6.3 sha512-k9q06Ab04CwY7n9HL5H5Zn+/ccohUUH8K2UjQ6dnAlE3NIFdqFI8Paanq+WFbfawZXeK29vP0zgZWfr28N33dw==
irc-framework 4.14.0 sha512-lNujDAxy9kcu89WbU5H7IDWly64aD1B9nN9AV5M6btfx88qyQuyH16j1tjS40nmkQH6ld6vvaihKRn9cjk1JrA==
ldapjs 3.0.7 sha512-1ky+WrN+4CFMuoekUOv7Y1037XWdjKpu0xAPwSP+9KdvmV9PG+qOKlssDV6a+U32apwxdD3is/BZcWOYzN30cg==
mongodb 7.9.1 sha512-OWtk/bcf8tx4Qe6lB8OsMksOwGGhC2FH+zl5UNwE+L7uz2VQDhCcnJThAvInEaBrEDaSsUWlMRbuFR4/TjF44w==
node-zookeeper-client 1.1.3 sha512-S7DWrIpr16E03LSTbiuahcHvE/Aj3AJEh2X7+bL8sx/PoR8YNwUQlVspX1QslkD5Pk9RsC8ZTMN2GapS8IrOYQ==
nsqjs 0.13.0 sha512-h4sZoJu8qumYYGLts9ObWl+eK3BzkbBuE7UhrQYkLMQvaeHXFlGfBXB5IcgNBRQVOuEVRfT/1V4bPpgiJyN/RQ==
proxy-chain 3.0.1 sha512-ZISgL5pwUBXcijycj9ofC8wbJ9GmSEka71kn4dzjphDxfZcecQ6uvU2NWuyQcGdEf0XfscXWDs3KKgjxeQXTZw==
rhea 3.0.5 sha512-Ye1gzqH9DoCGMTaSfLfGmDdoderMshyVU5rdFES+D3N1U5PASZcNCKqhWJJUOOj8INtdrIPOfDALrRcoRRL7jw==
smtp-server 3.21.7 sha512-HZtF8LivEuPtcVuoCYHa60GTHohwPpwz90GHUwm88Xg2tI4ZJCHWTzuS08uufMkme4qvReqD7vEQSdyRGbRQ2Q==
socks 2.8.11 sha512-2H/uQ7+SNP0hK16RorTak0mWrFoqo4AnAVGSUl2dT07obgWdWt9grml+VDl1LklgUOPWM4Abo0u86Cvp8vFjYw==
stompit 1.0.0 sha512-He+ZV41LyCs4WNpMT9WFAuhQ6cUNhzfa+PsRlf7qxGIfMhDCUncnD9V7Cwvo8tzvpnwVyRB2BDG3R7I2Gbv4Ww==
telnet-client 2.2.14 sha512-KtJ005SN9U2f+Fc1ZrR8FlZpgZoVm5TrJ1SNhfR4ZRQQRVSCamsL2QVEm5qKL6n6tvhF7hSNun6eWyyJG5BKrQ==
"

# shellcheck source=npm-pinned.sh
. "$(dirname "$0")/npm-pinned.sh"
exit $rc
