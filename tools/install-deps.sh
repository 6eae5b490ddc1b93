#!/usr/bin/env bash
# Installs the Debian packages UlcAg needs at run time and in its tests, if missing:
#   libgtk-3-0      OpenCV's native library (OpenCvSharp4.official.runtime.linux-x64) links GTK 3
#   opencv-data     the Haar face cascades used for face detection
#   python3-opencv  tests only: Debian's own OpenCV (4.6) for Python. The tests load both exported
#                   models in its DNN module (tools/deploy-check/classify_opencv.py) and compare them
#                   with ONNX Runtime, so that the exports stay loadable by that older importer.
#   python3-pil     tests only: Pillow (9.4), which the Python ONNX Runtime example of docs/deploy.md
#                   (tools/deploy-check/classify.py) reads and resizes the crops with.
#   python3-torch, python3-torchvision
#                   tests only: PyTorch (1.13), the reference of the train-step benchmarks; the tests
#                   run its script (tools/TrainBench/torch_train_bench.py) and the GPU benchmark's
#                   checks of it on a tiny CPU step, and skip with a reason without it.
# With --runtime, only the run-time packages (tools/setup.sh).
set -euo pipefail
packages=(libgtk-3-0 opencv-data)
case "${1:-}" in
  --runtime) ;;
  "") packages+=(python3-opencv python3-pil python3-torch python3-torchvision) ;;
  *) echo "install-deps: unknown argument '$1'; usage: bash tools/install-deps.sh [--runtime]" >&2; exit 2 ;;
esac
need=()
for pkg in "${packages[@]}"; do
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
