#!/usr/bin/env bash
# The same read routes on an earlier commit and on the work tree, alternately, on one
# database: what a change did to speed, measured in one session, since this machine's
# speed drifts between runs by more than most changes (bench/RESULTS.md).
#   bench/compare.sh REV [ROUNDS]        e.g. bench/compare.sh 299f422 2
# Routes and duration as for npm run bench (BENCH_ROUTES defaults to id,slug,list,rankings).
set -euo pipefail
rev=${1:?usage: bench/compare.sh REV [ROUNDS]}
rounds=${2:-2}
root=$(git rev-parse --show-toplevel)
old=$(mktemp -d /tmp/khabar-compare-XXXXXX)
trap 'git -C "$root" worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add -q --detach "$old" "$rev"
ln -s "$root/node_modules" "$old/node_modules"
mkdir -p "$old/bench/.data"
(cd "$root" && npm run -s build)
(cd "$old" && npm run -s build)
export BENCH_ROUTES=${BENCH_ROUTES:-id,slug,list,rankings}
# SQLite unless asked otherwise: an older commit may have no PostgreSQL to compare with.
export BENCH_ENGINES=${BENCH_ENGINES:-sqlite}
for round in $(seq "$rounds"); do
  for side in "$old" "$root"; do
    # One database for both: the one the work tree's bench built, or builds now.
    [ -f "$root/bench/.data/bench-${BENCH_ARTICLES:-100000}.db" ] && cp -n "$root/bench/.data/bench-${BENCH_ARTICLES:-100000}.db" "$old/bench/.data/" || true
    name=$([ "$side" = "$root" ] && echo "work tree" || echo "$rev")
    echo "=== $name, round $round"
    (cd "$side" && npx tsx bench/run.ts) | grep -a '^| `GET\|^| bare\|^| `POST'
  done
done
