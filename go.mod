module github.com/thumbnail-go/thumbnail

go 1.26.0

require (
	github.com/chai2010/webp v1.4.0
	github.com/gen2brain/avif v0.4.4
	github.com/rwcarlsen/goexif v0.0.0-20190401172101-9e8deecbddbd
	github.com/schollz/progressbar/v3 v3.19.1
	golang.org/x/image v0.48.0
	golang.org/x/term v0.44.0
)

require (
	github.com/ebitengine/purego v0.8.3 // indirect
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	github.com/tetratelabs/wazero v1.9.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
