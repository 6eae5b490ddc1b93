#!/usr/bin/env bash
# The label-correction benchmark on the synthetic faces (demo protocol: 64 px, 2,000 faces, 6 epochs):
# ULC-AG with the robust and the paper correction policy under 30% symmetric noise, 20% pairwise
# noise and clean labels, several seeds. Resumable: finished runs (test.json) are skipped, interrupted
# ones continue from their last checkpoint. Prints one line per run from its test.json.
#   bash tools/noise-benchmark.sh [OUT_DIR] [SEEDS...]     (default artifacts/experiments/noise-benchmark, seeds 0 1 2)
# NOISE_BENCHMARK_SETTINGS adds settings to every run, e.g. the protocol of 4,000 faces with 0.24 blends:
#   NOISE_BENCHMARK_SETTINGS="data.synthetic.train=4000 data.synthetic.ambiguous_fraction=0.24" bash tools/noise-benchmark.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/experiments/noise-benchmark}
shift || true
seeds=("${@:-0 1 2}")
read -r -a seeds <<<"${seeds[*]}"
train=(dotnet run -c Release --no-build --project src/UlcAg.Train.Cli --)
dotnet build src/UlcAg.Train.Cli -c Release -v q --nologo >/dev/null
mkdir -p "$out"

cells=(
  "robust-sym30   ulcag.correction=robust data.noise.rate=0.3 data.noise.kind=symmetric"
  "robust-pair20  ulcag.correction=robust data.noise.rate=0.2 data.noise.kind=pairwise"
  "robust-clean   ulcag.correction=robust data.noise.rate=0"
  "paper-sym30    ulcag.correction=paper  data.noise.rate=0.3 data.noise.kind=symmetric"
)
for seed in "${seeds[@]}"; do
  for cell in "${cells[@]}"; do
    read -r name settings <<<"$cell"
    run="$name-seed$seed"
    dir="$out/$run"
    if [ -f "$dir/test.json" ]; then :;
    elif [ -d "$dir/checkpoints/last" ]; then "${train[@]}" --resume "$dir" >"$out/$run.log" 2>&1 || true;
    else
      args=(--output "$out" --set "run_name=$run" --seed "$seed")
      for s in $settings ${NOISE_BENCHMARK_SETTINGS:-}; do args+=(--set "$s"); done
      "${train[@]}" "${args[@]}" >"$out/$run.log" 2>&1 || true
    fi
    if [ -f "$dir/test.json" ]; then echo "$run $(cat "$dir/test.json")"; else echo "$run FAILED (see $out/$run.log)"; fi
  done
done
