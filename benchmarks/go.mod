module github.com/thumbnail-go/thumbnail/benchmarks

go 1.26.0

require (
	github.com/disintegration/imaging v1.6.2
	github.com/nfnt/resize v0.0.0-20180221191011-83c6a9932646
	github.com/thumbnail-go/thumbnail v0.0.0
	golang.org/x/image v0.48.0
)

require (
	github.com/chai2010/webp v1.4.0 // indirect
	github.com/rwcarlsen/goexif v0.0.0-20190401172101-9e8deecbddbd // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/thumbnail-go/thumbnail => ../
