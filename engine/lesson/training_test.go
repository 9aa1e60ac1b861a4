package lesson

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/nn"
)

// trainTestData returns the first ntrain training and ntest test digits of
// the shipped MNIST subset (and the shipped pretrained weights), small
// enough for quick tests.
func trainTestData(t testing.TB, ntrain, ntest int) *TrainData {
	t.Helper()
	tr, te, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	cut := func(s *data.Set, n int) *data.Set {
		n = min(n, s.Len())
		per := s.C * s.H * s.W
		c := *s
		c.Labels, c.Pixels = s.Labels[:n], s.Pixels[:n*per]
		return &c
	}
	return &TrainData{MNISTTrain: cut(tr, ntrain), MNISTTest: cut(te, ntest), Pretrained: trainShipped()}
}

// trainShipped returns the shipped pretrained weights by data set.
func trainShipped() map[string][]byte {
	return map[string][]byte{TrainMNIST: []byte(assets.PretrainedMNIST), TrainColour: []byte(assets.PretrainedColour)}
}

// fakeClock is a clock that moves on by tick at every reading.
type fakeClock struct {
	now  time.Time
	tick time.Duration
}

func newFakeClock(tick time.Duration) *fakeClock {
	return &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), tick: tick}
}

func (c *fakeClock) read() time.Time {
	c.now = c.now.Add(c.tick)
	return c.now
}

// TestTrainDefaultIsReference: the lesson's default conv net is the
// engine's reference net, layer for layer, and the colour set's differs
// only in its three input channels and six classes.
func TestTrainDefaultIsReference(t *testing.T) {
	s := DefaultTrainSettings()
	spec, err := s.Spec(TrainConv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(spec, nn.ReferenceSpec()) {
		t.Fatalf("default conv net\n%+v\nwant the reference net\n%+v", spec, nn.ReferenceSpec())
	}
	s.Data = TrainColour
	spec, err = s.Spec(TrainConv)
	if err != nil {
		t.Fatal(err)
	}
	ref := nn.ReferenceSpec()
	if spec.Input != [3]int{3, 24, 24} || spec.Layers[len(spec.Layers)-1].Out != 6 ||
		!reflect.DeepEqual(spec.Layers[:6], ref.Layers[:6]) {
		t.Fatalf("colour conv net %+v", spec)
	}
	for _, m := range []struct {
		name string
		want []nn.LayerSpec
	}{
		{TrainLinear, []nn.LayerSpec{{Type: nn.TypeLinear, Out: 6}}},
		{TrainMLP, []nn.LayerSpec{{Type: nn.TypeLinear, Out: 16}, {Type: nn.TypeReLU}, {Type: nn.TypeLinear, Out: 6}}},
	} {
		spec, err := s.Spec(m.name)
		if err != nil || !reflect.DeepEqual(spec.Layers, m.want) || spec.Input != [3]int{3, 24, 24} {
			t.Errorf("%s: %+v, %v", m.name, spec, err)
		}
	}
}

// TestTrainLedger: the reference net's ledger, worked by hand.
//
//	conv 5x5 x8, pad 2     8x24x24   8·1·5·5 + 8 = 208      8·24·24·1·25 = 115,200
//	relu                   8x24x24   0                      0
//	maxpool 2x2, stride 2  8x12x12   0                      0
//	conv 5x5 x16, pad 2    16x12x12  16·8·5·5 + 16 = 3,216  16·12·12·8·25 = 460,800
//	relu                   16x12x12  0                      0
//	maxpool 3x3, stride 3  16x4x4    0                      0
//	linear 10              10        10·256 + 10 = 2,570    2,560
func TestTrainLedger(t *testing.T) {
	rows, err := TrainLedger(DefaultTrainSettings())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name   string
		out    []int
		params int
		madds  int
	}{
		{"conv 5x5 x8, pad 2", []int{8, 24, 24}, 208, 115200},
		{"relu", []int{8, 24, 24}, 0, 0},
		{"maxpool 2x2, stride 2", []int{8, 12, 12}, 0, 0},
		{"conv 5x5 x16, pad 2", []int{16, 12, 12}, 3216, 460800},
		{"relu", []int{16, 12, 12}, 0, 0},
		{"maxpool 3x3, stride 3", []int{16, 4, 4}, 0, 0},
		{"linear 10", []int{10}, 2570, 2560},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		r := rows[i]
		if r.Name != w.name || !reflect.DeepEqual(r.Output, w.out) || r.Params != w.params || r.MultiplyAdds != w.madds {
			t.Errorf("row %d: %+v, want %+v", i+1, r, w)
		}
	}
	// Without the second block: conv 3x3 x4, pad 0 gives 4x22x22, pooled to 4x11x11.
	s := DefaultTrainSettings()
	s.Arch = TrainArch{Filters: 4, Kernel: 3, Pad: 0, Conv2: false, Hidden: 16}
	rows, err = TrainLedger(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || !reflect.DeepEqual(rows[2].Output, []int{4, 11, 11}) || rows[3].Params != 10*484+10 {
		t.Fatalf("small net ledger %+v", rows)
	}
}

// TestTrainSettingsRefused: settings that cannot work are refused with a
// message naming what is wrong; a conv net nn cannot build names its layer.
func TestTrainSettingsRefused(t *testing.T) {
	for _, tc := range []struct {
		change func(*TrainSettings)
		want   string
	}{
		// 24 − 5 + 0 + 1 = 20, pooled to 10; the second conv keeps 10;
		// (10 − 3)/3 + 1 = 3.33 is not a whole number.
		{func(s *TrainSettings) { s.Arch.Pad = 0 }, "layer 6 (maxpool 3x3, stride 3): (10 − 3 + 0)/3 + 1"},
		{func(s *TrainSettings) { s.Arch.Kernel, s.Arch.Pad = 7, 2 }, "layer 6 (maxpool 3x3, stride 3)"},
		{func(s *TrainSettings) { s.Arch.Filters = 3 }, "3 first-layer filters: choose 4 to 32"},
		{func(s *TrainSettings) { s.Arch.Filters = 33 }, "choose 4 to 32"},
		{func(s *TrainSettings) { s.Arch.Kernel = 4 }, "kernel 4x4: choose 3x3, 5x5 or 7x7"},
		{func(s *TrainSettings) { s.Arch.Pad = 4 }, "padding 4: choose 0 to 3"},
		{func(s *TrainSettings) { s.Arch.Hidden = 65 }, "65 hidden units"},
		{func(s *TrainSettings) { s.Hyper.Batch = 129 }, "batch size 129: choose 1 to 128"},
		{func(s *TrainSettings) { s.Hyper.Optimizer = "rmsprop" }, `optimizer "rmsprop"`},
		{func(s *TrainSettings) { s.Hyper.LR = -1 }, "learning rate -1 must not be negative"},
		{func(s *TrainSettings) { s.Hyper.Momentum = 1 }, "momentum 1 must be at least 0 and below 1"},
		{func(s *TrainSettings) { s.Data = "cifar" }, `unknown data set "cifar"`},
	} {
		s := DefaultTrainSettings()
		tc.change(&s)
		err := s.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one saying %q", s, err, tc.want)
		}
	}
	// Without the second block every padding works: a conv output of
	// 25 − K + 2P is even for odd K.
	for _, k := range TrainKernels() {
		for p := 0; p <= TrainMaxPad; p++ {
			s := DefaultTrainSettings()
			s.Arch.Kernel, s.Arch.Pad, s.Arch.Conv2 = k, p, false
			if err := s.Check(); err != nil {
				t.Errorf("kernel %d pad %d without the second block: %v", k, p, err)
			}
		}
	}
}
