package handlertest

import "runtime/metrics"

// Allocated returns how many bytes of heap f allocates in all: a bound on
// the most it can hold at once, which no sampling of the live heap could
// promise. Run it without -race, whose detector allocates for itself.
func Allocated(f func()) uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	f()
	metrics.Read(s)
	return s[0].Value.Uint64() - before
}
