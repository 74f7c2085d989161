#!/usr/bin/env bash
# Times our command against vipsthumbnail as whole processes, on the
# generated 24 MP picture, its progressive twin and a twin with a restart
# marker every MCU row (whose intervals we decode in parallel), with hyperfine
# (alternating runs), and reports each one's peak RSS; then djpeg's
# decode alone at 1/1 and 1/8, the C limit for the decoder.
#
#	apt-get install hyperfine libvips-tools libjpeg-turbo-progs time
#	./cli.sh
set -euo pipefail
cd "$(dirname "$0")"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

go run ./cmd/writeinputs "$dir"
jpegtran -progressive -copy all "$dir/gen24mp.jpg" >"$dir/gen24mp-progressive.jpg"
jpegtran -restart 1 -copy all "$dir/gen24mp.jpg" >"$dir/gen24mp-restart.jpg"
go build -o "$dir/thumbnail" ../cmd/thumbnail

for in in gen24mp gen24mp-progressive gen24mp-restart; do
	vips="vipsthumbnail $dir/$in.jpg -s 256x256 -o $dir/vips-$in.jpg[Q=80]"
	ours="$dir/thumbnail -size 256x256 -quality 80 -o $dir/ours-$in.jpg $dir/$in.jpg"
	hyperfine -N -w 3 -r 20 -n "vipsthumbnail $in" "$vips" -n "thumbnail $in" "$ours"
	for cmd in "$vips" "$ours"; do
		/usr/bin/time -f "peak RSS %M KiB: ${cmd%% *} $in" $cmd >/dev/null
	done
done
hyperfine -N -w 3 -r 20 \
	-n "djpeg 1/1" "djpeg -outfile /dev/null $dir/gen24mp.jpg" \
	-n "djpeg 1/8" "djpeg -scale 1/8 -outfile /dev/null $dir/gen24mp.jpg"
