// Package benchmarks compares the thumbnail library with other Go image
// libraries: imaging, nfnt/resize and golang.org/x/image/draw. It is a
// module of its own so that those libraries stay out of the library's
// go.mod. It holds only tests and benchmarks; see README.md.
package benchmarks
