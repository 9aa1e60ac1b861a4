package refbench

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"

	"convlab/assets"
	"convlab/engine/data"
)

// mnist returns the MNIST subset the page ships.
func mnist(t testing.TB) (train, test *data.Set) {
	t.Helper()
	train, test, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	return train, test
}

// digits returns Digits of the MNIST subset, parsed back.
func digits(t testing.TB, nTrain, nTest int, seed int64) (raw []byte, train, test *data.Set) {
	t.Helper()
	full, fullTest := mnist(t)
	raw, err := Digits(full, fullTest, nTrain, nTest, rand.New(rand.NewSource(seed)))
	if err != nil {
		t.Fatal(err)
	}
	train, test, err = data.ParseMNIST(raw)
	if err != nil {
		t.Fatal(err)
	}
	return raw, train, test
}

// window returns the 24x24 window of image i of s at offset (dy, dx).
func window(s *data.Set, i, dy, dx int) []uint8 {
	w := make([]uint8, 0, Side*Side)
	for y := 0; y < Side; y++ {
		row := (i*s.H+y+dy)*s.W + dx
		w = append(w, s.Pixels[row:row+Side]...)
	}
	return w
}

// find returns the index and offset of the image of s whose window equals
// crop and whose label is label, or -1.
func find(s *data.Set, crop []uint8, label uint8) (i, dy, dx int) {
	for i := 0; i < s.Len(); i++ {
		if s.Labels[i] != label {
			continue
		}
		for dy := 0; dy <= s.H-Side; dy++ {
			for dx := 0; dx <= s.W-Side; dx++ {
				if bytes.Equal(window(s, i, dy, dx), crop) {
					return i, dy, dx
				}
			}
		}
	}
	return -1, 0, 0
}

// TestDigitsAreWindowsOfTheSubset finds every crop in the subset: training
// crops at some offset of a digit with the same label, test crops at the
// centre (2, 2), and the training offsets not all the same.
func TestDigitsAreWindowsOfTheSubset(t *testing.T) {
	full, fullTest := mnist(t)
	_, train, test := digits(t, 30, 20, 7)
	if train.Len() != 30 || test.Len() != 20 || train.H != 24 || train.W != 24 || test.H != 24 {
		t.Fatalf("got %d training and %d test digits of %dx%d, want 30 and 20 of 24x24", train.Len(), test.Len(), train.H, train.W)
	}
	offsets := map[[2]int]bool{}
	for k := 0; k < train.Len(); k++ {
		i, dy, dx := find(full, window(train, k, 0, 0), train.Labels[k])
		if i < 0 {
			t.Fatalf("training digit %d (label %d) is no window of any subset digit", k, train.Labels[k])
		}
		offsets[[2]int{dy, dx}] = true
	}
	if len(offsets) < 5 {
		t.Errorf("30 training crops sit at only %d distinct offsets %v: the crops are not random", len(offsets), offsets)
	}
	for k := 0; k < test.Len(); k++ {
		i, dy, dx := find(fullTest, window(test, k, 0, 0), test.Labels[k])
		if i < 0 || dy != 2 || dx != 2 {
			t.Errorf("test digit %d: found at image %d offset (%d, %d), want the centre (2, 2)", k, i, dy, dx)
		}
	}
	classes := map[uint8]bool{}
	for _, l := range train.Labels {
		classes[l] = true
	}
	if len(classes) < 8 {
		t.Errorf("30 training digits cover only %d classes: the pick is not spread over the subset", len(classes))
	}
}

// TestDigitsRepeat checks that a seed gives the same bytes and another seed
// other bytes.
func TestDigitsRepeat(t *testing.T) {
	a, _, _ := digits(t, 50, 10, 1)
	b, _, _ := digits(t, 50, 10, 1)
	c, _, _ := digits(t, 50, 10, 2)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different digits")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 1 and 2 gave the same digits")
	}
}

// TestDigitsRefuses checks the errors for impossible requests.
func TestDigitsRefuses(t *testing.T) {
	full, fullTest := mnist(t)
	rng := rand.New(rand.NewSource(1))
	small := &data.Set{Name: "small", Classes: data.MNISTClasses(), C: 1, H: 20, W: 20, Pixels: make([]uint8, 400), Labels: []uint8{3}}
	for _, c := range []struct {
		name         string
		train, test  *data.Set
		nTrain, nTst int
		want         string
	}{
		{"no digits", full, fullTest, 0, 10, "0 digits asked"},
		{"too many", full, fullTest, 10, fullTest.Len() + 1, "digits asked of"},
		{"too small", small, fullTest, 1, 1, "at least 24x24"},
		{"no set", full, nil, 1, 1, "at least 24x24"},
	} {
		_, err := Digits(c.train, c.test, c.nTrain, c.nTst, rng)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestSessionLearns trains for three rounds of 600 examples and checks the
// rounds' accounting, that the loss falls, and that the net then
// classifies held-out digits far better than chance (10%).
func TestSessionLearns(t *testing.T) {
	raw, _, _ := digits(t, 2000, 500, 1)
	s, err := NewSession(raw, 1)
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.Accuracy()
	if err != nil {
		t.Fatal(err)
	}
	var rounds []Round
	for i := 0; i < 3; i++ {
		r, err := s.Train(590) // rounded up to 30 minibatches of 20
		if err != nil {
			t.Fatal(err)
		}
		if r.Examples != 600 || r.Seconds <= 0 {
			t.Fatalf("round %d: %d examples in %vs, want 600 in a positive time", i, r.Examples, r.Seconds)
		}
		rounds = append(rounds, r)
	}
	if !(rounds[2].Loss < rounds[0].Loss) || !(rounds[0].Loss < 2.3) {
		t.Errorf("smoothed loss %.3f, %.3f, %.3f after each round: want it falling from below ln 10",
			rounds[0].Loss, rounds[1].Loss, rounds[2].Loss)
	}
	after, err := s.Accuracy()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test accuracy %.3f before, %.3f after 1,800 examples; last round allocated %d objects, %d bytes, %d GCs",
		before, after, rounds[2].Mallocs, rounds[2].Bytes, rounds[2].GCs)
	if after < 0.7 {
		t.Errorf("test accuracy after 1,800 examples is %.3f, want at least 0.7", after)
	}
}

// TestNewSessionRefuses checks that bytes that are not digits of the right
// size are refused with a reason.
func TestNewSessionRefuses(t *testing.T) {
	if _, err := NewSession([]byte("not gzip"), 1); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("garbage: error %v, want one about gzip", err)
	}
	if _, err := NewSession([]byte(assets.MNIST), 1); err == nil || !strings.Contains(err.Error(), "28x28") {
		t.Errorf("uncropped 28x28 digits: error %v, want one naming 28x28", err)
	}
	raw, _, _ := digits(t, 20, 5, 1)
	s, err := NewSession(raw, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Train(0); err == nil {
		t.Error("Train(0) gave no error")
	}
}

// BenchmarkSessionTrain trains the reference net with the full trainer
// (Adadelta, the divergence guard, examples read from bytes), one minibatch
// of 20 per iteration: the code the browser benchmark runs, natively. It
// reports examples per second and, on Linux, per CPU-second of the process.
func BenchmarkSessionTrain(b *testing.B) {
	raw, _, _ := digits(b, 2000, 100, 1)
	s, err := NewSession(raw, 1)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Train(20); err != nil {
		b.Fatal(err)
	}
	cpu0, ok0 := processCPU()
	b.ResetTimer()
	r, err := s.Train(20 * b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(r.Examples)/b.Elapsed().Seconds(), "examples/s")
	if cpu1, ok1 := processCPU(); ok0 && ok1 && cpu1 > cpu0 {
		b.ReportMetric(float64(r.Examples)/(cpu1-cpu0).Seconds(), "examples/cpu-s")
	}
	b.ReportMetric(float64(r.Mallocs)/float64(b.N), "mallocs/step")
}
