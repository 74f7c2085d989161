//go:build !race

package thumbnail_test

const raceEnabled = false
