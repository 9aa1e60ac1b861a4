package train

import (
	"math/rand"
	"testing"

	"convlab/engine/data"
	"convlab/engine/nn"
)

// BenchmarkTrainerStep runs the Trainer on the reference net with the
// ConvNetJS demo's settings (Adadelta, minibatch 20), guard included, on
// random 28x28 "digits" cropped to 24x24, and reports examples per second.
// engine/nn's BenchmarkRefNetTrainStep times the net alone (and per
// CPU-second on Linux).
func BenchmarkTrainerStep(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	set := &data.Set{Name: "noise", Classes: make([]string, 10), C: 1, H: 28, W: 28,
		Pixels: make([]uint8, 200*28*28), Labels: make([]uint8, 200)}
	for i := range set.Pixels {
		if rng.Intn(5) == 0 {
			set.Pixels[i] = uint8(rng.Intn(256))
		}
	}
	for i := range set.Labels {
		set.Labels[i] = uint8(rng.Intn(10))
	}
	src, err := FromSet(set, 24)
	if err != nil {
		b.Fatal(err)
	}
	net, _ := NewNet(nn.ReferenceSpec(), 1)
	tr, err := New(net, src, Defaults())
	if err != nil {
		b.Fatal(err)
	}
	tr.Step()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := tr.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*tr.Hyper.Batch)/b.Elapsed().Seconds(), "examples/s")
}
