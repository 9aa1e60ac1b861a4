package nn

import (
	"math/rand"
	"runtime"
	"testing"
	"time"

	"convlab/engine/tensor"
)

// The reference net's minibatch, as in the ConvNetJS MNIST demo.
const refBatch = 20

// refInput returns a batch of digit-like inputs: mostly zero with strokes,
// values in [−0.5, 0.5] as the trainer feeds them.
func refInput(rng *rand.Rand, n int) (*tensor.Tensor, []int) {
	x := tensor.New(n, 1, 24, 24)
	for i := range x.Data {
		x.Data[i] = -0.5
		if rng.Intn(5) == 0 {
			x.Data[i] = float32(rng.Float64()) - 0.5
		}
	}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.Intn(10)
	}
	return x, labels
}

// refNet builds the reference net with seed 1 and a minibatch for it.
func refNet(b *testing.B) (*Net, *tensor.Tensor, []int) {
	rng := rand.New(rand.NewSource(1))
	net, err := Build(ReferenceSpec(), rng)
	if err != nil {
		b.Fatal(err)
	}
	x, labels := refInput(rng, refBatch)
	return net, x, labels
}

// rate reports examples per second of wall-clock time and, where the
// platform can measure it, per second of the benchmark thread's CPU time
// (which other work on a shared machine does not inflate). Call start
// after setup and before the timed loop.
type rate struct {
	cpu0 time.Duration
	ok   bool
}

func startRate(b *testing.B) *rate {
	runtime.LockOSThread()
	b.Cleanup(runtime.UnlockOSThread)
	r := &rate{}
	r.cpu0, r.ok = threadCPU()
	b.ResetTimer()
	return r
}

func (r *rate) report(b *testing.B, examples int) {
	b.ReportMetric(float64(examples)/b.Elapsed().Seconds(), "examples/s")
	if cpu1, ok := threadCPU(); ok && r.ok && cpu1 > r.cpu0 {
		b.ReportMetric(float64(examples)/(cpu1-r.cpu0).Seconds(), "examples/cpu-s")
	}
}

// BenchmarkRefNetTrainStep trains the reference net one minibatch of 20 per
// iteration: forward, loss, backward and a plain gradient step. It reports
// training examples per second (and per CPU-second on Linux).
func BenchmarkRefNetTrainStep(b *testing.B) {
	net, x, labels := refNet(b)
	step := func() {
		net.ZeroGrad()
		net.Forward(x, true)
		net.Loss(labels)
		net.Backward()
		for _, p := range net.Params() {
			axpy(-0.01, p.T.Grad, p.T.Data)
		}
	}
	step()
	r := startRate(b)
	for i := 0; i < b.N; i++ {
		step()
	}
	r.report(b, b.N*refBatch)
}

// BenchmarkRefNetForward runs the reference net at inference on a
// minibatch of 20 and reports examples per second.
func BenchmarkRefNetForward(b *testing.B) {
	net, x, _ := refNet(b)
	net.Forward(x, false)
	r := startRate(b)
	for i := 0; i < b.N; i++ {
		net.Forward(x, false)
	}
	r.report(b, b.N*refBatch)
}

// BenchmarkRefNetLayers times Forward and Backward of each layer of the reference net
// on a minibatch of 20, with realistic inputs and output gradients (those
// of a real training step).
func BenchmarkRefNetLayers(b *testing.B) {
	net, x, labels := refNet(b)
	net.Forward(x, true)
	net.Loss(labels)
	net.Backward()
	for i, l := range net.Layers {
		in, out := net.acts[i], net.acts[i+1]
		name := l.Name()
		b.Run("forward "+name, func(b *testing.B) {
			for k := 0; k < b.N; k++ {
				l.Forward(in, out, true)
			}
			b.ReportMetric(float64(b.N*refBatch)/b.Elapsed().Seconds(), "examples/s")
		})
		b.Run("backward "+name, func(b *testing.B) {
			for k := 0; k < b.N; k++ {
				l.Backward(in, out)
			}
			b.ReportMetric(float64(b.N*refBatch)/b.Elapsed().Seconds(), "examples/s")
		})
	}
}
