#!/usr/bin/env bash
# Installs the Debian packages UlcAg needs at run time and in its tests, if missing:
#   libgtk-3-0   OpenCV's native library (OpenCvSharp4.official.runtime.linux-x64) links GTK 3
#   opencv-data  the Haar face cascades used for face detection
set -euo pipefail
need=()
for pkg in libgtk-3-0 opencv-data; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing Debian packages: ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"
