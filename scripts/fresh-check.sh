#!/usr/bin/env bash
# The README's quick start on a machine that has nothing yet: a minimal Debian 12 root made with
# debootstrap, this repository's current commit cloned into it with ../shared copied beside it,
# and the README's two commands run there under chroot. Run as root; downloads Debian packages.
#   scripts/fresh-check.sh [--full | --build-only] [--keep]
#   --full        the second command in full (scripts/test.sh; about 30 minutes more)
#   --build-only  the first command only (scripts/build.sh)
#   --keep        leave the root in place to look inside (its path is printed)
# Uncommitted changes are not part of the check: it is the commit a new user would clone.
set -euo pipefail
cd "$(dirname "$0")/.."

second=(scripts/test.sh --quick)
keep=0
for arg in "$@"; do
  case "$arg" in
    --full) second=(scripts/test.sh) ;;
    --build-only) second=() ;;
    --keep) keep=1 ;;
    *) echo "usage: scripts/fresh-check.sh [--full | --build-only] [--keep]" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "fresh-check: run as root (debootstrap, mount, chroot)" >&2; exit 2; }

started=$SECONDS
say() { printf '== %s (%dm%02ds)\n' "$1" $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }

# The machine's own Debian mirror: whatever it installs from, behind whatever it is behind.
debian_mirror() {
  local uri
  uri=$(sed -E 's/\[[^]]*\]//' /etc/apt/sources.list 2>/dev/null | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' || true)
  # deb822 stanzas (sources.list.d/*.sources): the first URI of one whose suites include bookworm.
  [[ -n "$uri" ]] || uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
      function stanza_end() { if (bookworm && uri != "") { print uri; done = 1; exit } uri = ""; bookworm = 0 }
      /^[[:space:]]*$/ { stanza_end(); next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") bookworm = 1 }
      END { if (!done) stanza_end() }')
  echo "${uri:-http://deb.debian.org/debian}"
}

# Proxy lines of the machine's apt configuration (Acquire::http::Proxy "…";), if any.
apt_proxy_lines() { grep -hiE '^[^#/]*Acquire::(https?|ftp)::Proxy' /etc/apt/apt.conf.d/* /etc/apt/apt.conf 2>/dev/null || true; }

if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

root=$(mktemp -d /var/tmp/inkpack-fresh.XXXXXX)
mounts=()
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -R "${mounts[i]}" 2>/dev/null || umount -lR "${mounts[i]}" || true; done
  # Never delete through a mount that is still there (/dev, /proc of the machine itself).
  if [[ $keep -eq 1 ]] || findmnt -rn -o TARGET | grep -q "^$root/"; then
    echo "fresh-check: the root stays in $root" >&2
  else
    rm -rf --one-file-system "$root"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mirror=$(debian_mirror)
proxy=$(apt_proxy_lines | sed -nE 's/.*Proxy[[:space:]]+"([^"]+)".*/\1/p' | head -n1)
say "debootstrap bookworm (minbase) from $mirror into $root"
http_proxy=$proxy https_proxy=$proxy debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
  { tail -n 20 "$root.debootstrap.log" >&2; exit 1; }
rm -f "$root.debootstrap.log"

# What lets the new root reach the same registries as this machine: its DNS, its proxy, and the
# extra certificate authorities a proxy may sign with (ca-certificates, once apt installs it,
# adds these to the root's store).
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
[[ -z "$(apt_proxy_lines)" ]] || apt_proxy_lines >"$root/etc/apt/apt.conf.d/99proxy"
mkdir -p "$root/usr/local/share/ca-certificates"
cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true

say "cloning $(git rev-parse --short HEAD) with ../shared beside it"
mkdir -p "$root/work"
git clone --quiet --no-local --no-checkout "$PWD" "$root/work/inkpack"
git -C "$root/work/inkpack" checkout --quiet --detach "$(git rev-parse HEAD)"
[[ -d ../shared ]] && cp -a ../shared "$root/work/shared"

for fs in proc sys dev; do mkdir -p "$root/$fs"; done
# Recorded before mounting, so that a half-done mount is undone too; rslave keeps the unmount of
# the root's /dev from reaching the machine's own.
mounts+=("$root/proc"); mount -t proc proc "$root/proc"
mounts+=("$root/sys"); mount -t sysfs sys "$root/sys"
mounts+=("$root/dev"); mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ${proxy:+http_proxy=$proxy https_proxy=$proxy} \
    bash -c "cd /work/inkpack && $*"
}

say "README command 1: scripts/build.sh"
in_root scripts/build.sh
book=$(find "$root/work/inkpack/dist" -name '*.epub' -printf '%f (%s bytes)\n' 2>/dev/null | head -n1)
[[ -n "$book" ]] || { say "FAILED: scripts/build.sh wrote no book into dist/"; exit 1; }
say "ok: dist/$book"

if [[ ${#second[@]} -gt 0 ]]; then
  say "README command 2: ${second[*]}"
  in_root "${second[*]}"
  say "ok: ${second[*]}"
fi
say "fresh check passed"
