#!/bin/sh
# The wasm build must rank exactly as the native one: same top-20 items, same scores (as
# hex floats), same reasons, on a sample of test prefixes of a small fixture dataset. The
# pack has 16-d embeddings, so the SIMD kernel (wasm) and the plain loop (native) are compared,
# and session statistics with a fusion (SSTA, FUSN): every scorer is compared (the fused one
# is what "auto" runs).
# Usage: wasm_native_parity.sh NATIVE_EVAL NODE WASM_EVAL_CJS DATA_DIR
set -eu
native=$1 node=$2 wasm=$3 data=$4
if [ ! -x "$native" ]; then
  echo "skip: no native vitrine-eval at $native (build the native tree first)"
  exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# One pack for both, built natively: the check is about scoring, and pack building may
# round differently across libm implementations.
# A second pack carries the embeddings in clusters (EIDX): the clustered search runs there.
"$(dirname "$native")/vitrine-pack" --quiet --sessions "$data/parity_train.txt" --min-support 2 \
  --embed-dim 16 -o "$out/parity.vpk"
"$(dirname "$native")/vitrine-pack" --quiet --sessions "$data/parity_train.txt" --min-support 2 \
  --embed-dim 16 --embed-index on -o "$out/parity-ix.vpk"
# A third pack is differentially private (the fixture's item ids as its public catalog):
# released pairs, spurious ones among them, and no session statistics.
{ echo "item_id,category,price,available"
  tr ' ' '\n' <"$data/parity_train.txt" | grep -v '^$' | sort -u | sed 's/$/,,1,1/'; } >"$out/catalog.csv"
"$(dirname "$native")/vitrine-pack" --quiet --sessions "$data/parity_train.txt" \
  --catalog "$out/catalog.csv" --embed-dim 16 --dp-epsilon 8 --dp-seed 1 -o "$out/parity-dp.vpk" \
  2>/dev/null
for run in auto statistics neighbourhood auto:parity-ix auto:parity-dp; do
  scorer=${run%%:*}
  pack=parity.vpk
  case $run in *:*) pack=${run#*:}.vpk ;; esac
  args="--train $data/parity_train.txt --test $data/parity_test.txt --pack $out/$pack --dump-top 300 --dump-every 3 --k 20 --scorer $scorer"
  "$native" $args >"$out/native.txt" 2>/dev/null
  "$node" "$wasm" $args >"$out/wasm.txt" 2>/dev/null
  lines=$(wc -l <"$out/native.txt")
  if [ "$lines" -lt 100 ]; then
    echo "$run: too few prefixes dumped ($lines)"
    exit 1
  fi
  if ! cmp -s "$out/native.txt" "$out/wasm.txt"; then
    echo "$run: wasm and native top-20 differ:"
    diff "$out/native.txt" "$out/wasm.txt" | head -20
    exit 1
  fi
  echo "$run: wasm == native on $lines prefixes (top-20 items, scores, reasons)"
done
# The auto scorer is the fused one: it must differ from the statistics scorer's.
"$native" --train $data/parity_train.txt --test $data/parity_test.txt --pack $out/parity.vpk \
  --dump-top 300 --dump-every 3 --k 20 --scorer statistics >"$out/stats.txt" 2>/dev/null
"$native" --train $data/parity_train.txt --test $data/parity_test.txt --pack $out/parity.vpk \
  --dump-top 300 --dump-every 3 --k 20 --scorer auto >"$out/auto.txt" 2>/dev/null
if cmp -s "$out/stats.txt" "$out/auto.txt"; then
  echo "the parity pack has no fusion (auto ranks as statistics)"
  exit 1
fi
