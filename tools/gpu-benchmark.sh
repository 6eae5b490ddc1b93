#!/usr/bin/env bash
# The ResNet-18 train step on an NVIDIA GPU: UlcAg (TrainBench --device cuda, built with the GPU
# package of ONNX Runtime) against PyTorch's eager fp32 step (tools/TrainBench/torch_train_bench.py),
# same network, loss, optimizer, batch and input, on the same GPU. For each round and each
# (res, batch) cell it runs UlcAg, then PyTorch, each in its own process, so that the two alternate
# and a drift of the GPU's speed hits both. Peak GPU memory of each process is polled from
# nvidia-smi the same way for both; PyTorch also reports its allocator's peaks. Prints every run,
# then a table: medians over the rounds, the ratio of the medians, peak memory.
#
#   bash tools/gpu-benchmark.sh [--rounds N] [--res N...] [--batch N...] [--steps N] [--warmup N]
#                               [--gpu N] [--python PATH] [--out DIR]
#
# Defaults: 5 rounds, res 112 224, batch 32 128, 20 timed steps after 3 warm-up steps per run, GPU 0,
# python3 from PATH (it needs torch and torchvision built with CUDA), logs and results.tsv under
# artifacts/gpu-benchmark/<time>/.
#
# Exit codes: 0 measured; 1 a run failed (its log is named); 2 bad arguments; 3 no NVIDIA GPU
# (nvidia-smi missing, failing or listing no GPU N); 4 the Python has no PyTorch with CUDA;
# 5 UlcAg cannot use CUDA (the GPU build failed, or ONNX Runtime's CUDA provider did not load).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

readonly EXIT_RUN_FAILED=1 EXIT_USAGE=2 EXIT_NO_GPU=3 EXIT_NO_TORCH_CUDA=4 EXIT_NO_ULCAG_CUDA=5

usage() {
  cat >&2 <<'USAGE'
usage: bash tools/gpu-benchmark.sh [--rounds N] [--res N...] [--batch N...] [--steps N] [--warmup N]
                                   [--gpu N] [--python PATH] [--out DIR]
  --rounds N    rounds of (UlcAg, PyTorch) per cell (default 5)
  --res N...    input sizes (default 112 224)
  --batch N...  batch sizes (default 32 128)
  --steps N     timed train steps per run (default 20)
  --warmup N    untimed train steps before them (default 3)
  --gpu N       the GPU, as nvidia-smi and CUDA number it (default 0)
  --python P    a Python with torch and torchvision built with CUDA (default python3)
  --out DIR     where logs and results.tsv go (default artifacts/gpu-benchmark/<time>)
Exit codes: 0 measured; 1 a run failed; 2 bad arguments; 3 no NVIDIA GPU;
4 no PyTorch with CUDA; 5 UlcAg cannot use CUDA.
USAGE
}

bad_usage() {
  echo "gpu-benchmark: $1" >&2
  usage
  exit "$EXIT_USAGE"
}

is_count() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "${2:-1}" ]; }

rounds=5 steps=20 warmup=3 gpu=0 python=python3 out=""
res=() batch=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --res|--batch)
      option=$1
      shift
      values=()
      while [ $# -gt 0 ] && [[ "$1" != --* ]]; do
        is_count "$1" || bad_usage "$option takes positive whole numbers, got '$1'"
        values+=("$1")
        shift
      done
      [ ${#values[@]} -gt 0 ] || bad_usage "$option needs at least one number"
      if [ "$option" = --res ]; then res=("${values[@]}"); else batch=("${values[@]}"); fi
      continue ;;
    --rounds|--steps|--warmup|--gpu|--python|--out)
      [ $# -ge 2 ] || bad_usage "$1 needs a value"
      case "$1" in
        --rounds) is_count "$2" || bad_usage "--rounds takes a positive whole number, got '$2'"; rounds=$2 ;;
        --steps) is_count "$2" || bad_usage "--steps takes a positive whole number, got '$2'"; steps=$2 ;;
        --warmup) is_count "$2" 0 || bad_usage "--warmup takes a whole number, got '$2'"; warmup=$2 ;;
        --gpu) is_count "$2" 0 || bad_usage "--gpu takes a GPU number (0, 1, ...), got '$2'"; gpu=$2 ;;
        --python) python=$2 ;;
        --out) out=$2 ;;
      esac
      shift 2 ;;
    *) bad_usage "unknown argument '$1'" ;;
  esac
done
[ ${#res[@]} -gt 0 ] || res=(112 224)
[ ${#batch[@]} -gt 0 ] || batch=(32 128)

# 1. A GPU, and a PyTorch that can use it.
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-benchmark: no NVIDIA GPU here: nvidia-smi is not installed (it comes with the NVIDIA driver); this benchmark needs a machine with an NVIDIA GPU" >&2
  exit "$EXIT_NO_GPU"
fi
if ! gpu_line=$(nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv,noheader -i "$gpu" 2>&1) || [ -z "$gpu_line" ]; then
  echo "gpu-benchmark: no NVIDIA GPU $gpu here: nvidia-smi says: ${gpu_line:-nothing}" >&2
  exit "$EXIT_NO_GPU"
fi
echo "GPU: $gpu_line"
torch_check='import torch, torchvision; print(torch.__version__, torchvision.__version__, torch.cuda.is_available(), torch.cuda.device_count())'
if ! torch_line=$("$python" -c "$torch_check" 2>&1); then
  echo "gpu-benchmark: '$python' cannot import torch and torchvision: $(tail -n 1 <<<"$torch_line"); give a Python with a CUDA build of PyTorch: --python PATH" >&2
  exit "$EXIT_NO_TORCH_CUDA"
fi
read -r torch_version vision_version torch_cuda torch_gpus <<<"$(tail -n 1 <<<"$torch_line")"
if [ "$torch_cuda" != True ] || [ "$torch_gpus" -le "$gpu" ]; then
  echo "gpu-benchmark: PyTorch $torch_version in '$python' cannot use CUDA GPU $gpu (cuda available: $torch_cuda, GPUs: $torch_gpus); give a Python with a CUDA build of PyTorch: --python PATH" >&2
  exit "$EXIT_NO_TORCH_CUDA"
fi
echo "PyTorch: $torch_version, torchvision $vision_version ($python)"

# 2. TrainBench with the GPU package, built apart from the CPU build's bin/ and obj/.
out=${out:-artifacts/gpu-benchmark/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
build=artifacts/gpu-build
echo "building TrainBench with -p:UlcAgGpu=true into $build (log: $out/build.log)"
if ! dotnet build tools/TrainBench/TrainBench.csproj -c Release -p:UlcAgGpu=true --artifacts-path "$build" -v q --nologo >"$out/build.log" 2>&1; then
  tail -n 20 "$out/build.log" >&2
  echo "gpu-benchmark: the GPU build of TrainBench failed (log: $out/build.log); it needs the NuGet package Microsoft.ML.OnnxRuntime.Gpu" >&2
  exit "$EXIT_NO_ULCAG_CUDA"
fi
trainbench=$(find "$build/bin/TrainBench" -name TrainBench.dll -path '*release*' | head -n 1)
[ -n "$trainbench" ] || { echo "gpu-benchmark: no TrainBench.dll under $build/bin/TrainBench" >&2; exit "$EXIT_RUN_FAILED"; }
ulcag=(dotnet "$trainbench" --device "cuda:$gpu" --train-only --warmup "$warmup" --runs "$steps")
torch=("$python" tools/TrainBench/torch_train_bench.py --device "cuda:$gpu" --warmup "$warmup" --steps "$steps")
# A small step first: ONNX Runtime's CUDA provider and CUDA's libraries load, or say why not.
if ! dotnet "$trainbench" --device "cuda:$gpu" --train-only --res 32 --batch 2 --warmup 0 --runs 1 >"$out/probe.log" 2>&1; then
  cat "$out/probe.log" >&2
  echo "gpu-benchmark: UlcAg cannot run on CUDA GPU $gpu (above)" >&2
  exit "$EXIT_NO_ULCAG_CUDA"
fi

# 3. Peak GPU memory of a process: nvidia-smi polled while it runs, the largest value kept. Its own
# row where nvidia-smi shows the process's pid; else (a container whose pids nvidia-smi does not
# see) the GPU's used memory above what was used before the run, marked '*'.
gpu_used() { nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i "$gpu" 2>/dev/null | tr -d ' ' || echo 0; }
poll_memory() {
  local pid=$1 file=$2 base=$3 own=0 device=0 value used
  while kill -0 "$pid" 2>/dev/null; do
    value=$(nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits -i "$gpu" 2>/dev/null |
      awk -F', *' -v p="$pid" '$1 == p { print $2 }' | head -n 1)
    if [[ "$value" =~ ^[0-9]+$ ]] && [ "$value" -gt "$own" ]; then own=$value; fi
    used=$(gpu_used)
    if [[ "$used" =~ ^[0-9]+$ ]] && [ $((used - base)) -gt "$device" ]; then device=$((used - base)); fi
    sleep 0.2
  done
  if [ "$own" -gt 0 ]; then echo "$own" >"$file"; else echo "${device}*" >"$file"; fi
}

# Runs a command with its memory polled; sets run_log and run_peak; exits when the run fails.
measured() {
  local name=$1
  shift
  run_log="$out/$name.log"
  local base pid poller
  base=$(gpu_used)
  "$@" >"$run_log" 2>&1 &
  pid=$!
  poll_memory "$pid" "$out/$name.mem" "${base:-0}" &
  poller=$!
  if ! wait "$pid"; then
    wait "$poller" || true
    tail -n 20 "$run_log" >&2
    echo "gpu-benchmark: run $name failed (log: $run_log)" >&2
    exit "$EXIT_RUN_FAILED"
  fi
  wait "$poller" || true
  run_peak=$(cat "$out/$name.mem" 2>/dev/null || echo "?")
}

results="$out/results.tsv"
printf 'tool\tres\tbatch\tround\timg_per_s\tpeak_gpu_mib\ttorch_allocated_mib\ttorch_reserved_mib\n' >"$results"
echo "$rounds rounds of (UlcAg, PyTorch); res ${res[*]}; batch ${batch[*]}; $warmup warm-up + $steps timed steps per run"
for ((round = 1; round <= rounds; round++)); do
  for r in "${res[@]}"; do
    for b in "${batch[@]}"; do
      measured "ulcag-r$r-b$b-$round" "${ulcag[@]}" --res "$r" --batch "$b"
      speed=$(sed -n 's/^res [0-9]*: train \([0-9.]*\) img\/s.*/\1/p' "$run_log" | head -n 1)
      [ -n "$speed" ] || { echo "gpu-benchmark: no 'res $r: train ... img/s' line in $run_log" >&2; exit "$EXIT_RUN_FAILED"; }
      printf 'ulcag\t%s\t%s\t%s\t%s\t%s\t\t\n' "$r" "$b" "$round" "$speed" "$run_peak" >>"$results"
      echo "round $round, res $r, batch $b: UlcAg $speed img/s, peak GPU $run_peak MiB"

      measured "torch-r$r-b$b-$round" "${torch[@]}" --res "$r" --batch "$b"
      if ! fields=$(grep '^{' "$run_log" | tail -n 1 | "$python" -c 'import json, sys
d = json.load(sys.stdin)
print(d["img_per_s"], d["max_allocated_mib"], d["max_reserved_mib"])'); then
        echo "gpu-benchmark: no result line in $run_log" >&2
        exit "$EXIT_RUN_FAILED"
      fi
      read -r speed allocated reserved <<<"$fields"
      printf 'pytorch\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$b" "$round" "$speed" "$run_peak" "$allocated" "$reserved" >>"$results"
      echo "round $round, res $r, batch $b: PyTorch $speed img/s, peak GPU $run_peak MiB (allocated $allocated, reserved $reserved)"
    done
  done
done

# 4. The table: per cell the median over rounds of each tool's images/s, their ratio, and the
# largest peak memory of any round.
echo
echo "Medians of $rounds rounds ($results). Peak GPU memory: nvidia-smi, per process ('*': the GPU's used memory above the run's start)."
echo
echo "| res | batch | UlcAg img/s | PyTorch img/s | ratio | UlcAg peak GPU MiB | PyTorch peak GPU MiB (allocated / reserved) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
awk -F'\t' '
  function median(list,    n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function peak(old, new) { return (old == "" || new + 0 > old + 0) ? new : old }
  NR == 1 { next }
  {
    cell = $2 " " $3
    if (!(cell in seen)) { seen[cell] = 1; order[++cells] = cell }
    speeds[$1, cell] = speeds[$1, cell] " " $5
    mem[$1, cell] = peak(mem[$1, cell], $6)
    if ($1 == "pytorch") { alloc[cell] = peak(alloc[cell], $7); resv[cell] = peak(resv[cell], $8) }
  }
  END {
    for (c = 1; c <= cells; c++) {
      split(order[c], rb, " ")
      u = median(speeds["ulcag", order[c]]); p = median(speeds["pytorch", order[c]])
      printf "| %s | %s | %.1f | %.1f | %.2fx | %s | %s (%s / %s) |\n", rb[1], rb[2], u, p, (p > 0 ? u / p : 0),
        mem["ulcag", order[c]], mem["pytorch", order[c]], alloc[order[c]], resv[order[c]]
    }
  }' "$results"
