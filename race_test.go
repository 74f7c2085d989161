//go:build race

package thumbnail_test

// raceEnabled: the race detector is on. It makes sync.Pool drop buffers at
// random and slows arithmetic tenfold, so the tests that count
// allocations or build float64 references of 12 MP photos skip under it;
// .ci/run runs them again without it.
const raceEnabled = true
